/* SPDX-License-Identifier: GPL-3.0-or-later */
/* make-corpus.c: writes the seed corpus of the fuzz targets (make
 * fuzz-corpus): small valid files and a few malformed ones of each kind the
 * loaders refuse, each led by the mode byte of fuzzload.h. (The inputs of
 * the crashes the fuzzer found are there too, as it wrote them, named
 * crash-*: make fuzz-corpus keeps them.) Valid checkpoints carry
 * the mode that keeps their checksum right, so that the fuzzer's mutations
 * reach the checks behind it.
 *
 *   make-corpus IDX_DIR CHECKPOINT_DIR
 *
 * Valid checkpoints are written by nn_checkpoint_save itself, so the corpus
 * follows the format when it changes: regenerate and commit. */
#include <config.h>

#include <gsl/gsl_rng.h>
#include "fuzzload.h"

static char out_dir[1024];

/* OUT_DIR/NAME holds MODE, then the N bytes at DATA. */
static void
put(const char *name, unsigned mode, const void *data, size_t n)
{
  char path[1200];
  snprintf(path, sizeof path, "%s/%s", out_dir, name);
  FILE *f = fopen(path, "wb");
  if (f == NULL || fputc((int) mode, f) == EOF || fwrite(data, 1, n, f) != n || fclose(f) != 0)
    NN_FUZZ_FAIL("cannot write %s", path);
}

/* ===== IDX ===== */

/* An image file of N images of R x C pixels (pixel k = 7k + 3 mod 256),
 * with EXTRA bytes more (negative: fewer) than the header promises. */
static unsigned char *
images(unsigned n, unsigned r, unsigned c, long extra, size_t *len)
{
  *len = (size_t) ((long) (16 + n * r * c) + extra);
  unsigned char *b = calloc(*len + 16, 1);
  const unsigned char head[16] = {0, 0, 8, 3, 0, 0, (unsigned char) (n >> 8), (unsigned char) n,
                                  0, 0, 0, (unsigned char) r, 0, 0, 0, (unsigned char) c};
  memcpy(b, head, 16);
  for (size_t k = 0; 16 + k < *len; k++)
    b[16 + k] = (unsigned char) ((7 * k + 3) % 256);
  return b;
}

/* N labels 0 1 2 ..., the last one TOP. */
static unsigned char *
labels(unsigned n, unsigned char top, size_t *len)
{
  *len = 8 + n;
  unsigned char *b = calloc(*len, 1);
  const unsigned char head[8] = {0, 0, 8, 1, 0, 0, (unsigned char) (n >> 8), (unsigned char) n};
  memcpy(b, head, 8);
  for (unsigned i = 0; i < n; i++)
    b[8 + i] = (unsigned char) (i % NN_IDX_CLASSES);
  if (n > 0)
    b[8 + n - 1] = top;
  return b;
}

static void
idx_corpus(void)
{
  size_t len, gzlen;
  unsigned char *b = images(3, 4, 5, 0, &len);
  put("images-3x4x5", 0, b, len);
  put("images-3x4x5-gzipped", NN_FUZZ_GZIP, b, len);
  unsigned char *gz = nn_fuzz_gzip(b, len, &gzlen);
  put("images-3x4x5.gz", 0, gz, gzlen);
  put("images-gzip-cut", 0, gz, gzlen - 6);
  gz[gzlen / 2] ^= 0x55;
  put("images-gzip-damaged", 0, gz, gzlen);
  free(gz);
  b[3] = 1;
  put("images-magic-of-labels", 0, b, len);
  b[3] = 3;
  b[2] = 0x0D;
  put("images-of-floats", 0, b, len);
  b[2] = 8;
  put("images-header-cut", 0, b, 11);
  free(b);
  b = images(3, 4, 5, -7, &len);
  put("images-short", 0, b, len);
  free(b);
  b = images(3, 4, 5, 9, &len);
  put("images-long", NN_FUZZ_GZIP, b, len);
  free(b);
  b = images(0, 4, 5, 0, &len);
  put("images-none", 0, b, len);
  free(b);
  b = images(3, 4, 5, 0, &len);
  b[6] = b[7] = b[11] = b[15] = 0xFF;  /* 65535 images of 255 x 255 */
  put("images-header-lies", 0, b, len);
  free(b);

  b = labels(12, 9, &len);
  put("labels-12", NN_FUZZ_LABELS, b, len);
  put("labels-12-gzipped", NN_FUZZ_LABELS | NN_FUZZ_GZIP, b, len);
  gz = nn_fuzz_gzip(b, len, &gzlen);
  put("labels-12.gz", NN_FUZZ_LABELS, gz, gzlen);
  free(gz);
  free(b);
  b = labels(12, NN_IDX_CLASSES, &len);
  put("labels-class-10", NN_FUZZ_LABELS, b, len);
  free(b);
  b = labels(12, 0, &len);
  put("labels-short", NN_FUZZ_LABELS, b, len - 3);
  put("labels-empty", NN_FUZZ_LABELS, b, 0);
  free(b);
}

/* ===== Checkpoints ===== */

/* The bytes nn_checkpoint_save writes for the network of SIZES (3 of them)
 * and ACTS, with optimizer KIND after two steps (none for
 * NN_FUZZ_NO_OPTIM); the caller frees them. */
static unsigned char *
saved(const size_t *sizes, const nn_activation_kind *acts, unsigned kind, size_t *len)
{
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 2385);
  nn_network *net = nn_network_alloc(sizes, 3, acts, 1);
  if (net == NULL || nn_network_init(net, r) != GSL_SUCCESS)
    NN_FUZZ_FAIL("cannot make a network");
  nn_optim *opt = NULL;
  if (kind < NN_OPTIM_N_KINDS) {
    opt = nn_optim_alloc((nn_optim_kind) kind, net->params->size, NULL);
    gsl_vector_set_all(net->grads, 0.3);
    for (int t = 0; t < 2; t++)
      nn_optim_step(opt, net->params, net->grads);
  }
  char path[1200];
  snprintf(path, sizeof path, "%s/saving.tmp", out_dir);
  if (nn_checkpoint_save(path, net, opt) != GSL_SUCCESS)
    NN_FUZZ_FAIL("cannot save %s: %s", path, nn_fuzz_error);
  FILE *f = fopen(path, "rb");
  unsigned char *b = calloc(1 << 16, 1);
  *len = fread(b, 1, 1 << 16, f);
  fclose(f);
  remove(path);
  nn_optim_free(opt);
  nn_network_free(net);
  gsl_rng_free(r);
  return b;
}

static unsigned
with(unsigned kind, unsigned flags)
{
  return kind << 1 | flags;
}

static void
checkpoint_corpus(void)
{
  static const char *const names[NN_OPTIM_N_KINDS] = {
    "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam"};
  char name[64];
  size_t len;
  unsigned char *b;
  for (unsigned k = 0; k < NN_OPTIM_N_KINDS; k++) {
    b = saved(nn_fuzz_sizes, nn_fuzz_acts, k, &len);
    snprintf(name, sizeof name, "net-%s", names[k]);
    put(name, with(k, NN_FUZZ_FIX_CRC), b, len);
    free(b);
  }
  b = saved(nn_fuzz_sizes, nn_fuzz_acts, NN_OPTIM_ADAM, &len);
  put("adam-into-sgd", with(NN_OPTIM_SGD, 0), b, len);
  put("adam-into-no-optimizer", with(NN_FUZZ_NO_OPTIM, 0), b, len);
  put("adam-cut", with(NN_OPTIM_ADAM, 0), b, len / 2);
  put("adam-trailing-bytes", with(NN_OPTIM_ADAM, NN_FUZZ_FIX_CRC), b, len + 8);
  b[len / 2] ^= 0x10;
  put("adam-corrupted", with(NN_OPTIM_ADAM, 0), b, len);
  free(b);

  b = saved(nn_fuzz_sizes, nn_fuzz_acts, NN_FUZZ_NO_OPTIM, &len);
  put("net-alone", with(NN_FUZZ_NO_OPTIM, NN_FUZZ_FIX_CRC), b, len);
  put("net-alone-into-adam", with(NN_OPTIM_ADAM, 0), b, len);
  b[0] = 'X';
  put("magic-wrong", with(NN_FUZZ_NO_OPTIM, NN_FUZZ_FIX_CRC), b, len);
  b[0] = 0x89;
  b[8] = 2;
  put("version-2", with(NN_FUZZ_NO_OPTIM, NN_FUZZ_FIX_CRC), b, len);
  b[8] = 1;
  put("empty", with(NN_FUZZ_NO_OPTIM, 0), b, 0);
  free(b);

  const size_t other_sizes[] = {3, 4, 2};
  b = saved(other_sizes, nn_fuzz_acts, NN_FUZZ_NO_OPTIM, &len);
  put("shape-3-4-2", with(NN_FUZZ_NO_OPTIM, NN_FUZZ_FIX_CRC), b, len);
  free(b);
  const nn_activation_kind other_acts[] = {NN_ACTIVATION_RELU, NN_ACTIVATION_SIGMOID};
  b = saved(nn_fuzz_sizes, other_acts, NN_FUZZ_NO_OPTIM, &len);
  put("activation-relu", with(NN_FUZZ_NO_OPTIM, NN_FUZZ_FIX_CRC), b, len);
  free(b);
}

int
main(int argc, char **argv)
{
  if (argc != 3) {
    fprintf(stderr, "usage: %s IDX_DIR CHECKPOINT_DIR\n", argv[0]);
    return 2;
  }
  gsl_set_error_handler(nn_fuzz_error_handler);
  snprintf(out_dir, sizeof out_dir, "%s", argv[1]);
  idx_corpus();
  snprintf(out_dir, sizeof out_dir, "%s", argv[2]);
  checkpoint_corpus();
  return 0;
}
