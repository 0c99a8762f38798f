/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The fuzz targets' corpus (tests/fuzz/corpus-idx and corpus-checkpoint),
 * every file through the loaders as the targets run it (fuzzload.h), in the
 * ordinary build: each file is loaded, or refused with GSL_EFAILED and a
 * message that names it; never a crash. The crashes the fuzzer found live
 * on here as corpus files. Each corpus must hold files of both outcomes,
 * so that an empty or unreadable folder fails instead of passing. */
#include <config.h>

#include "nntest.h"

#include <dirent.h>

#define NN_FUZZ_FAIL(...) fail_msg(__VA_ARGS__)
#include "fuzz/fuzzload.h"

typedef int (*runner)(nn_fuzz_file *f, const uint8_t *data, size_t size);

/* Every file of tests/fuzz/NAME through RUN; at least MIN_LOADED loaded
 * and MIN_REFUSED refused. */
static void
run_corpus(const char *name, runner run, size_t min_loaded, size_t min_refused)
{
  const char *top = getenv("NN_TOP_SRCDIR");
  char dir[4096];
  snprintf(dir, sizeof dir, "%s/tests/fuzz/%s", top != NULL ? top : ".", name);
  DIR *d = opendir(dir);
  if (d == NULL)
    fail_msg("cannot open the corpus %s", dir);
  nn_fuzz_file f;
  assert_int_equal(nn_fuzz_file_open(&f), 0);
  size_t loaded = 0, refused = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    size_t size;
    char *bytes = nn_test_read_file(path, &size);
    if (bytes == NULL)
      fail_msg("cannot read %s", path);
    const int status = run(&f, (const uint8_t *) bytes, size);
    printf("# %s/%s: %s\n", name, e->d_name,
           status == GSL_SUCCESS ? "loaded" : nn_fuzz_error);
    if (status == GSL_SUCCESS)
      loaded++;
    else
      refused++;
    free(bytes);
  }
  closedir(d);
  nn_fuzz_file_close(&f);
  if (loaded < min_loaded || refused < min_refused)
    fail_msg("%s: %zu files loaded and %zu refused; expected at least %zu and %zu", name,
             loaded, refused, min_loaded, min_refused);
}

static void
idx_corpus_is_loaded_or_refused_cleanly(void **state)
{
  (void) state;
  /* images and labels, plain, gzipped by the target, and as .gz files */
  run_corpus("corpus-idx", nn_fuzz_idx, 6, 10);
}

static void
checkpoint_corpus_is_loaded_or_refused_cleanly(void **state)
{
  (void) state;
  /* the network alone and with each optimizer */
  run_corpus("corpus-checkpoint", nn_fuzz_checkpoint, NN_OPTIM_N_KINDS + 1, 8);
}

int
main(void)
{
  gsl_set_error_handler(nn_fuzz_error_handler);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(idx_corpus_is_loaded_or_refused_cleanly),
    cmocka_unit_test(checkpoint_corpus_is_loaded_or_refused_cleanly),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
