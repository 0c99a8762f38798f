/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzzload.h: one fuzz input through a loader of the library, the same way
 * in the fuzz targets (fuzz-idx.c, fuzz-checkpoint.c, built by `make fuzz`)
 * and in the corpus test of `make check` (test-fuzz-corpus.c).
 *
 * The loaders read files, so an input is written to an anonymous in-memory
 * file (memfd) and the loader is given its name, /proc/self/fd/N. The first
 * byte of an input is a mode that says how to read the rest:
 *
 *   IDX         bit 0: gzip the rest before writing it (the fuzzer mutates
 *                      the IDX bytes under a valid gzip stream; a raw .gz
 *                      file with bit 0 clear mutates the stream itself)
 *               bit 1: read it as labels (nn_idx_read_labels), else as
 *                      images (nn_idx_read_images)
 *   checkpoint  bit 0: overwrite the last 4 bytes with the CRC-32 of the
 *                      others, so that mutations get past the checksum to
 *                      the checks of fields and shapes
 *               bits 1-3: the optimizer to load into: an nn_optim_kind
 *                      with its defaults, or none for NN_OPTIM_N_KINDS
 *                      and above
 *
 * The checkpoint is loaded into a network of sizes 3-5-2 (leaky ReLU, then
 * sigmoid), the one the corpus generator (make-corpus.c) saves.
 *
 * What must hold, whatever the bytes: the loader either succeeds or returns
 * GSL_EFAILED with a message that names the file; a set read is as large
 * as its counts say (its last pixel and label can be read); a refused
 * checkpoint leaves the network and optimizer as they were, and a loaded one
 * holds values the library accepts (slopes in [0, 1), optimizer options that
 * nn_optim_alloc takes with the same number of state vectors) and can take
 * a forward pass and an optimizer step. A breach calls NN_FUZZ_FAIL(fmt,
 * ...): by default it prints the breach and aborts, which the fuzzer
 * reports with the input; the corpus test defines it as cmocka's fail_msg
 * before including this file. A crash or leak is the sanitizers' to report.
 */
#ifndef NN_FUZZLOAD_H
#define NN_FUZZLOAD_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>
#include <gsl/gsl_errno.h>
#include <nn/checkpoint.h>
#include <nn/idx.h>

#ifndef NN_FUZZ_FAIL
#define NN_FUZZ_FAIL(...) nn_fuzz_abort(__VA_ARGS__)
static void nn_fuzz_abort(const char *fmt, ...)
  __attribute__((noreturn, format(printf, 1, 2)));

static void
nn_fuzz_abort(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  fputs("fuzz: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  abort();
}
#endif

#define NN_FUZZ_GZIP 1u     /* IDX mode: gzip the rest */
#define NN_FUZZ_LABELS 2u   /* IDX mode: read labels */
#define NN_FUZZ_FIX_CRC 1u  /* checkpoint mode: make the checksum right */
#define NN_FUZZ_NO_OPTIM 7u /* checkpoint mode bits 1-3: no optimizer */

/* The checkpoint's network: 3-5-2, as make-corpus.c saves it. */
static const size_t nn_fuzz_sizes[] = {3, 5, 2};
static const nn_activation_kind nn_fuzz_acts[] = {NN_ACTIVATION_LEAKY_RELU,
                                                  NN_ACTIVATION_SIGMOID};

/* ===== The last error, and the in-memory file ===== */

static char nn_fuzz_error[1024];

static void
nn_fuzz_error_handler(const char *reason, const char *file, int line, int err)
{
  (void) file;
  (void) line;
  (void) err;
  snprintf(nn_fuzz_error, sizeof nn_fuzz_error, "%s", reason);
}

/* An anonymous file and its name; fd -1 when it could not be made. */
typedef struct {
  int fd;
  char path[64];
} nn_fuzz_file;

static inline int
nn_fuzz_file_open(nn_fuzz_file *f)
{
  f->fd = memfd_create("nn-fuzz-input", MFD_CLOEXEC);
  snprintf(f->path, sizeof f->path, "/proc/self/fd/%d", f->fd);
  return f->fd >= 0 ? 0 : -1;
}

static inline void
nn_fuzz_file_close(nn_fuzz_file *f)
{
  if (f->fd >= 0)
    close(f->fd);
  f->fd = -1;
}

/* The file's contents become the N bytes at DATA. */
static inline void
nn_fuzz_file_set(nn_fuzz_file *f, const void *data, size_t n)
{
  if (ftruncate(f->fd, 0) != 0 || (n > 0 && pwrite(f->fd, data, n, 0) != (ssize_t) n))
    NN_FUZZ_FAIL("cannot write %zu bytes to the in-memory file", n);
}

/* DATA (N bytes) as one gzip member; the caller frees it; *len its length. */
static inline unsigned char *
nn_fuzz_gzip(const uint8_t *data, size_t n, size_t *len)
{
  z_stream z = {0};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY)
      != Z_OK)
    NN_FUZZ_FAIL("deflateInit2 failed");
  const size_t cap = deflateBound(&z, (uLong) n) + 32;
  unsigned char *out = malloc(cap);
  if (out == NULL)
    NN_FUZZ_FAIL("out of memory for %zu bytes", cap);
  z.next_in = (Bytef *) data;
  z.avail_in = (uInt) n;
  z.next_out = out;
  z.avail_out = (uInt) cap;
  if (deflate(&z, Z_FINISH) != Z_STREAM_END)
    NN_FUZZ_FAIL("deflate did not finish %zu bytes", n);
  *len = cap - z.avail_out;
  deflateEnd(&z);
  return out;
}

/* STATUS is a success, or GSL_EFAILED with a message naming the file. */
static inline void
nn_fuzz_check_refusal(int status, const nn_fuzz_file *f, const char *who)
{
  if (status == GSL_SUCCESS)
    return;
  if (status != GSL_EFAILED)
    NN_FUZZ_FAIL("%s returned %d, not GSL_EFAILED, for a bad file (\"%s\")", who, status,
                 nn_fuzz_error);
  if (strstr(nn_fuzz_error, f->path) == NULL)
    NN_FUZZ_FAIL("%s refused the file without naming it: \"%s\"", who, nn_fuzz_error);
}

/* ===== IDX ===== */

/* Run the IDX input DATA (SIZE bytes, mode first) through the reader; its
 * status. */
static inline int
nn_fuzz_idx(nn_fuzz_file *f, const uint8_t *data, size_t size)
{
  if (size == 0)
    return GSL_SUCCESS;
  const unsigned mode = data[0];
  const uint8_t *body = data + 1;
  size_t len = size - 1;
  unsigned char *packed = NULL;
  if (mode & NN_FUZZ_GZIP) {
    packed = nn_fuzz_gzip(body, len, &len);
    body = packed;
  }
  nn_fuzz_file_set(f, body, len);
  free(packed);

  nn_fuzz_error[0] = '\0';
  size_t n = 0, rows = 0, cols = 0;
  unsigned char *bytes = NULL;
  int status;
  if (mode & NN_FUZZ_LABELS) {
    status = nn_idx_read_labels(f->path, NN_IDX_CLASSES, &n, &bytes);
    nn_fuzz_check_refusal(status, f, "nn_idx_read_labels");
    if (status == GSL_SUCCESS) {
      if (n == 0 || bytes[n - 1] >= NN_IDX_CLASSES)
        NN_FUZZ_FAIL("%zu labels read, the last %d", n, n ? bytes[n - 1] : -1);
    }
  } else {
    status = nn_idx_read_images(f->path, &n, &rows, &cols, &bytes);
    nn_fuzz_check_refusal(status, f, "nn_idx_read_images");
    if (status == GSL_SUCCESS) {
      if (n == 0 || rows == 0 || cols == 0 || rows > SIZE_MAX / cols
          || n > SIZE_MAX / (rows * cols))
        NN_FUZZ_FAIL("%zu images of %zux%zu read: none, or more bytes than memory holds", n,
                     rows, cols);
      /* The last image, through a batch of one, as training reads it: every
       * pixel the counts promise must be there. */
      const size_t D = rows * cols;
      unsigned char label = 0;
      const nn_images last = {1, rows, cols, bytes + (n - 1) * D, &label};
      gsl_matrix *X = gsl_matrix_alloc(1, D);
      gsl_vector *y = gsl_vector_alloc(1);
      size_t got = 0;
      if (nn_images_batch(&last, NULL, 0, X, y, &got) != GSL_SUCCESS || got != 1)
        NN_FUZZ_FAIL("the last of %zu images of %zux%zu could not be batched", n, rows, cols);
      gsl_matrix_free(X);
      gsl_vector_free(y);
    }
  }
  if (status != GSL_SUCCESS && bytes != NULL)
    NN_FUZZ_FAIL("a refused file left its buffer allocated");
  free(bytes);
  return status;
}

/* ===== Checkpoints ===== */

static inline int
nn_fuzz_same(const gsl_vector *a, const gsl_vector *b)
{
  return a->size == b->size && memcmp(a->data, b->data, a->size * sizeof(double)) == 0;
}

/* Run the checkpoint input DATA (SIZE bytes, mode first) through the
 * loader; its status. */
static inline int
nn_fuzz_checkpoint(nn_fuzz_file *f, const uint8_t *data, size_t size)
{
  if (size == 0)
    return GSL_SUCCESS;
  const unsigned mode = data[0];
  const unsigned kind = (mode >> 1) & 7u;
  size_t len = size - 1;
  unsigned char *bytes = malloc(len + 1);
  if (bytes == NULL)
    NN_FUZZ_FAIL("out of memory for %zu bytes", len);
  memcpy(bytes, data + 1, len);
  if ((mode & NN_FUZZ_FIX_CRC) && len >= 4) {
    const uLong crc = crc32(0L, bytes, (uInt) (len - 4));
    for (size_t i = 0; i < 4; i++)
      bytes[len - 4 + i] = (unsigned char) (crc >> (8 * i));
  }
  nn_fuzz_file_set(f, bytes, len);
  free(bytes);

  nn_network *net = nn_network_alloc(nn_fuzz_sizes, 3, nn_fuzz_acts, 1);
  if (net == NULL)
    NN_FUZZ_FAIL("cannot allocate the 3-5-2 network");
  for (size_t i = 0; i < net->params->size; i++)
    gsl_vector_set(net->params, i, 0.25 + 0.01 * (double) i);
  nn_optim *opt = NULL;
  if (kind < NN_OPTIM_N_KINDS) {
    opt = nn_optim_alloc((nn_optim_kind) kind, net->params->size, NULL);
    if (opt == NULL)
      NN_FUZZ_FAIL("cannot allocate the optimizer %u", kind);
  }
  gsl_vector *before = gsl_vector_alloc(net->params->size);
  gsl_vector_memcpy(before, net->params);
  nn_optim before_opt = {0};
  if (opt != NULL)
    before_opt = *opt;

  nn_fuzz_error[0] = '\0';
  const int status = nn_checkpoint_load(f->path, net, opt);
  nn_fuzz_check_refusal(status, f, "nn_checkpoint_load");
  if (status != GSL_SUCCESS) {
    if (!nn_fuzz_same(before, net->params))
      NN_FUZZ_FAIL("a refused checkpoint changed the network's parameters");
    if (opt != NULL && (opt->t != before_opt.t
                        || memcmp(&opt->opt, &before_opt.opt, sizeof opt->opt) != 0))
      NN_FUZZ_FAIL("a refused checkpoint changed the optimizer");
  } else {
    for (size_t l = 0; l < net->n_layers; l++) {
      const double s = net->layers[l].slope;
      if (!(s >= 0.0 && s < 1.0))
        NN_FUZZ_FAIL("a checkpoint was loaded with layer %zu's slope %g, outside [0, 1)", l,
                     s);
    }
    gsl_matrix *X = gsl_matrix_alloc(1, nn_fuzz_sizes[0]);
    gsl_matrix_set_all(X, 0.5);
    if (nn_network_forward(net, NULL, X) != GSL_SUCCESS)
      NN_FUZZ_FAIL("a loaded network refused a forward pass: \"%s\"", nn_fuzz_error);
    gsl_matrix_free(X);
    if (opt != NULL) {
      /* The options must be ones the optimizer could have been made with,
       * keeping as many state vectors as it has. */
      nn_optim *same = nn_optim_alloc(opt->kind, opt->n, &opt->opt);
      if (same == NULL || same->n_state != opt->n_state)
        NN_FUZZ_FAIL("a checkpoint was loaded with optimizer options that nn_optim_alloc "
                     "refuses or that need other state: \"%s\"", nn_fuzz_error);
      nn_optim_free(same);
      gsl_vector_set_all(net->grads, 0.125);
      if (nn_optim_step(opt, net->params, net->grads) != GSL_SUCCESS)
        NN_FUZZ_FAIL("a loaded optimizer refused a step: \"%s\"", nn_fuzz_error);
    }
  }
  gsl_vector_free(before);
  nn_optim_free(opt);
  nn_network_free(net);
  return status;
}

#endif /* NN_FUZZLOAD_H */
