/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hidden.c: the TA's own tests (see hidden.h). */
#include <config.h>

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hidden.h"

static int
ends_with(const char *s, const char *tail)
{
  size_t n = strlen(s), m = strlen(tail);
  return n > m && strcmp(s + n - m, tail) == 0;
}

/* Compile the .c files of SRC into the shared object SO. */
static int
compile_suite(const nng_config *cfg, const char *src, const char *so, char *why,
              size_t why_size)
{
  struct dirent **entries = NULL;
  int count = scandir(src, &entries, NULL, alphasort);
  if (count < 0) {
    snprintf(why, why_size, "cannot read %s: %s", src, strerror(errno));
    return -1;
  }
  char *argv[200];
  char *owned[200];
  size_t n = 0, n_owned = 0;
  char *words = strdup(cfg->cc);
  char *save = NULL;
  for (char *w = strtok_r(words, " \t", &save); w != NULL && n < 20;
       w = strtok_r(NULL, " \t", &save))
    argv[n++] = w;
  char inc_grader[1100], inc_lib[1100];
  snprintf(inc_grader, sizeof inc_grader, "-I%s", cfg->grader_include);
  snprintf(inc_lib, sizeof inc_lib, "-I%s", cfg->lib_include);
  char *fixed[] = {"-std=gnu11", "-O1", "-Wall", "-fPIC", "-shared",
                   "-fdiagnostics-color=never", inc_grader, inc_lib};
  for (size_t k = 0; k < sizeof fixed / sizeof fixed[0]; k++)
    argv[n++] = fixed[k];
  /* The remote stubs' headers are generated into the build tree's grader/
   * (the probe folder there; installed, they stand beside testkit.h), and
   * include the exercises' own headers. */
  char inc_probe[1100];
  snprintf(inc_probe, sizeof inc_probe, "-I%s", cfg->probe_dir);
  argv[n++] = inc_probe;
  for (size_t e = 0; e < nng_n_exercises && n_owned < 100; e++) {
    char *inc = malloc(strlen(cfg->exercises_dir) + strlen(nng_exercises[e].folder) + 4);
    if (inc != NULL) {
      sprintf(inc, "-I%s/%s", cfg->exercises_dir, nng_exercises[e].folder);
      argv[n++] = owned[n_owned++] = inc;
    }
  }
  char *flags = strdup(cfg->judge_cflags);
  save = NULL;
  for (char *w = strtok_r(flags, " \t", &save); w != NULL && n < 100;
       w = strtok_r(NULL, " \t", &save))
    argv[n++] = w;
  size_t first_source = n;
  for (int i = 0; i < count; i++) {
    if (ends_with(entries[i]->d_name, ".c") && n < 190 && n_owned < 200) {
      char *path = malloc(strlen(src) + strlen(entries[i]->d_name) + 2);
      if (path != NULL) {
        sprintf(path, "%s/%s", src, entries[i]->d_name);
        argv[n++] = owned[n_owned++] = path;
      }
    }
    free(entries[i]);
  }
  free(entries);
  int status = 0;
  if (n == first_source) {
    snprintf(why, why_size, "%s holds no .c file", src);
    status = -1;
  } else {
    argv[n++] = "-o";
    argv[n++] = (char *) so;
    argv[n] = NULL;
    char *out = NULL, reason[256];
    int r = nng_run_tool(argv, NULL, &cfg->compile_limits, &out, reason, sizeof reason);
    if (r != 0) {
      snprintf(why, why_size, "the hidden tests in %s do not compile%s%s:\n%s", src,
               reason[0] ? ": " : "", reason, out ? out : "");
      status = -1;
    }
    free(out);
  }
  for (size_t k = 0; k < n_owned; k++)
    free(owned[k]);
  free(words);
  free(flags);
  return status;
}

int
nng_hidden_load(nng_hidden *h, const nng_config *cfg, const char *dir,
                const char *work, char *why, size_t why_size)
{
  memset(h, 0, sizeof *h);
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    snprintf(why, why_size, "the hidden tests folder %s: %s", dir,
             errno ? strerror(errno) : "not a folder");
    return -1;
  }
  int found = 0;
  for (size_t e = 0; e < nng_n_exercises; e++) {
    const nng_exercise *ex = &nng_exercises[e];
    char src[1100], so[1200];
    snprintf(src, sizeof src, "%s/%s", dir, ex->folder);
    if (stat(src, &st) != 0 || !S_ISDIR(st.st_mode))
      continue;
    found = 1;
    snprintf(so, sizeof so, "%s/hidden-%s.so", work, ex->folder);
    if (compile_suite(cfg, src, so, why, why_size) != 0) {
      nng_hidden_free(h);
      return -1;
    }
    void *handle = dlopen(so, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
      snprintf(why, why_size, "cannot load the hidden tests of %s: %s", src, dlerror());
      nng_hidden_free(h);
      return -1;
    }
    h->handles[e] = handle;
    h->tests[e] = dlsym(handle, "nng_hidden_tests");
    if (h->tests[e] == NULL) {
      snprintf(why, why_size, "the hidden tests in %s define no table "
               "nng_hidden_tests[] (see nngrade --help)", src);
      nng_hidden_free(h);
      return -1;
    }
  }
  if (!found) {
    snprintf(why, why_size, "%s has no exercise folder (ex01, ex02, ...)", dir);
    return -1;
  }
  return 0;
}

void
nng_hidden_free(nng_hidden *h)
{
  for (size_t e = 0; e < NNG_MAX_EXERCISES; e++) {
    if (h->handles[e] != NULL)
      dlclose(h->handles[e]);
    h->handles[e] = NULL;
    h->tests[e] = NULL;
  }
}
