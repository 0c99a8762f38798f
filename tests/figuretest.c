/* SPDX-License-Identifier: GPL-3.0-or-later */
/* figuretest.c: what the tests of the figure modules share (see
 * figuretest.h). */
#include <config.h>

#include "nntest.h"
#include "figuretest.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

/* ===== The output folder ===== */

/* mkdir -p PATH: 0, or -1 with errno set. */
static int
make_dirs(const char *path)
{
  char buf[4096];
  snprintf(buf, sizeof buf, "%s", path);
  for (char *c = buf + 1; *c != '\0'; c++) {
    if (*c == '/') {
      *c = '\0';
      if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        return -1;
      *c = '/';
    }
  }
  return mkdir(buf, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

const char *
ft_out_dir(const char *sub)
{
  static char dir[4096];
  const char *top = getenv("NN_TOP_BUILDDIR");
  snprintf(dir, sizeof dir, "%s/tests/out/%s", top != NULL ? top : ".", sub);
  if (make_dirs(dir) != 0) {
    fprintf(stderr, "cannot create %s: %s\n", dir, strerror(errno));
    return NULL;
  }
  return dir;
}

void
ft_remove(const char *dir, const char *name, const char *const *exts)
{
  for (const char *const *e = exts; *e != NULL; e++) {
    char path[4400];
    snprintf(path, sizeof path, "%s/%s.%s", dir, name, *e);
    unlink(path);
  }
}

/* ===== Reading the files back ===== */

int
ft_file_exists(const char *path)
{
  struct stat st;
  return stat(path, &st) == 0;
}

char *
ft_slurp(const char *path)
{
  char *s = nn_test_read_file(path, NULL);
  if (s == NULL)
    fail_msg("cannot read %s", path);
  return s;
}

void
ft_assert_has_line(const char *text, const char *line, const char *file, int at)
{
  size_t n = strlen(line);
  for (const char *p = text; (p = strstr(p, line)) != NULL; p++)
    if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
      return;
  print_error("no line \"%s\" in:\n%s\n", line, text);
  _fail(file, at);
}

void
ft_assert_contains(const char *text, const char *part, const char *file, int at)
{
  if (strstr(text, part) != NULL)
    return;
  print_error("\"%s\" not found in:\n%s\n", part, text);
  _fail(file, at);
}

void
ft_assert_svg(const char *path, const char *file, int at)
{
  char *s = nn_test_read_file(path, NULL);
  if (s == NULL) {
    print_error("cannot read %s\n", path);
    _fail(file, at);
  }
  const char *c = s;
  for (;;) {  /* pass over what may come before the first element */
    while (*c == ' ' || *c == '\n' || *c == '\r' || *c == '\t')
      c++;
    const char *next = NULL;
    if (strncmp(c, "<?", 2) == 0)  /* the XML declaration */
      next = strstr(c, "?>");
    else if (strncmp(c, "<!--", 4) == 0)  /* a comment */
      next = strstr(c, "-->");
    else if (strncmp(c, "<!", 2) == 0)  /* the DOCTYPE */
      next = strchr(c, '>');
    else
      break;
    if (next == NULL)
      break;  /* not closed: no svg element follows */
    c = strchr(next, '>') + 1;
  }
  int svg = strncmp(c, "<svg", 4) == 0 && strstr(c, "</svg>") != NULL;
  free(s);
  if (!svg) {
    print_error("%s does not begin with an svg element, closed\n", path);
    _fail(file, at);
  }
}

void
ft_assert_png(const char *path, const char *file, int at)
{
  size_t len = 0;
  char *s = nn_test_read_file(path, &len);
  int png = s != NULL && len > 1000 && memcmp(s, "\x89PNG\r\n\x1a\n", 8) == 0;
  free(s);
  if (!png) {
    print_error("%s is not a PNG picture (%zu bytes)\n", path, len);
    _fail(file, at);
  }
}

/* ===== Standing in for the program ===== */

const char *
ft_fake_program(const char *dir, const char *name, const char *body)
{
  static char path[4400];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fprintf(f, "#!/bin/sh\n%s\n", body);
  fclose(f);
  assert_int_equal(chmod(path, 0755), 0);
  return path;
}

static char kept_name[64];  /* the variable ft_env_keep() recorded */
static char *kept_value;     /* its value then (owned), NULL when unset */

void
ft_env_keep(const char *name)
{
  const char *value = getenv(name);
  ft_env_free();
  snprintf(kept_name, sizeof kept_name, "%s", name);
  kept_value = value != NULL ? strdup(value) : NULL;
}

int
ft_env_restore(void **state)
{
  (void) state;
  if (kept_name[0] == '\0')
    return 0;  /* nothing was kept */
  if (kept_value != NULL)
    setenv(kept_name, kept_value, 1);
  else
    unsetenv(kept_name);
  return 0;
}

void
ft_env_free(void)
{
  free(kept_value);
  kept_value = NULL;
}

/* ===== Running the tests ===== */

int
ft_run_group(const char *group, const struct CMUnitTest *tests, size_t n,
             size_t n_rendering, int have_program, const char *program,
             const char *package)
{
  if (!have_program) {
    fprintf(stderr, "%s is not available: the %zu rendering tests are"
            " skipped (install %s)\n", program, n_rendering, package);
    n -= n_rendering;
  }
  /* One group, with or without the rendering tests at its end. */
  int failed = _cmocka_run_group_tests(group, tests, n, NULL, NULL);
  if (failed != 0)
    return 1;
  return have_program ? 0 : 77;
}
