/* SPDX-License-Identifier: GPL-3.0-or-later */
/* idx.c: the IDX reader for (Fashion-)MNIST, gzipped or not (see nn/idx.h).
 * zlib's gzread reads a plain file as it is, so one path serves both. */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <zlib.h>
#include <gsl/gsl_errno.h>

#include <nn/idx.h>

/* An open IDX file and the first problem met, for the message. */
typedef struct {
  const char *path;
  gzFile gz;
  char why[256];
} idx_file;

static int
idx_error(const idx_file *f, const char *who)
{
  char msg[640];
  snprintf(msg, sizeof msg, "%s: %s: %s", who, f->path, f->why);
  GSL_ERROR(msg, GSL_EFAILED);
}

/* Read up to N bytes into BUF; *got = how many came (fewer at the end of
 * the file). -1 with f->why set when the gzip stream is damaged or cut. */
static int
read_some(idx_file *f, void *buf, size_t n, size_t *got, const char *what)
{
  *got = 0;
  while (*got < n) {
    const unsigned chunk = n - *got > (1u << 30) ? (1u << 30) : (unsigned) (n - *got);
    const int r = gzread(f->gz, (unsigned char *) buf + *got, chunk);
    int err = Z_OK;
    const char *m = gzerror(f->gz, &err);
    if (r < 0 || (err != Z_OK && err != Z_STREAM_END)) {
      snprintf(f->why, sizeof f->why, "the gzip stream is truncated or damaged (%s) in %s",
               m, what);
      return -1;
    }
    if (r == 0)
      break;
    *got += (size_t) r;
  }
  return 0;
}

/* Read exactly N bytes; 0, or -1 with f->why set. */
static int
read_exactly(idx_file *f, void *buf, size_t n, const char *what)
{
  size_t got;
  if (read_some(f, buf, n, &got, what) != 0)
    return -1;
  if (got < n) {
    snprintf(f->why, sizeof f->why, "it ends %zu bytes into %s, which needs %zu", got, what,
             n);
    return -1;
  }
  return 0;
}

/* Open PATH and read its header: DIMS dimensions of unsigned bytes. */
static int
open_header(idx_file *f, const char *path, unsigned dims, uint32_t *sizes)
{
  f->path = path;
  f->why[0] = '\0';
  /* One open: the size of the file opened is the one checked, and zlib
   * reads from the same descriptor (gzclose closes it). */
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    snprintf(f->why, sizeof f->why, "cannot be opened: %s", strerror(errno));
    if (fd >= 0)
      close(fd);
    return -1;
  }
  if (S_ISDIR(st.st_mode)) {
    snprintf(f->why, sizeof f->why, "it is a folder, not a file");
    close(fd);
    return -1;
  }
  if (S_ISREG(st.st_mode) && st.st_size == 0) {
    snprintf(f->why, sizeof f->why, "the file is empty (0 bytes)");
    close(fd);
    return -1;
  }
  f->gz = gzdopen(fd, "rb");
  if (f->gz == NULL) {
    snprintf(f->why, sizeof f->why, "cannot be read: %s", strerror(errno));
    close(fd);
    return -1;
  }
  unsigned char head[4];
  if (read_exactly(f, head, 4, "the magic number") != 0)
    return -1;
  if (head[0] != 0 || head[1] != 0 || head[3] != dims || head[2] != 0x08) {
    snprintf(f->why, sizeof f->why,
             "the magic number is %02x %02x %02x %02x, not 00 00 08 %02x (an IDX file of "
             "unsigned bytes in %u dimension%s)", head[0], head[1], head[2], head[3], dims,
             dims, dims == 1 ? "" : "s");
    return -1;
  }
  for (unsigned d = 0; d < dims; d++) {
    unsigned char be[4];
    if (read_exactly(f, be, 4, "the header's sizes") != 0)
      return -1;
    sizes[d] = (uint32_t) be[0] << 24 | (uint32_t) be[1] << 16 | (uint32_t) be[2] << 8 | be[3];
  }
  return 0;
}

/* Read the N bytes the header promises, growing the buffer as data arrives
 * (a header that lies about its counts costs no more memory than the file
 * holds), then make sure nothing follows. */
static unsigned char *
read_body(idx_file *f, size_t n, const char *what)
{
  size_t cap = n < (1u << 20) ? (n ? n : 1) : (1u << 20), got = 0;
  unsigned char *buf = malloc(cap);
  if (buf == NULL) {
    snprintf(f->why, sizeof f->why, "out of memory");
    return NULL;
  }
  while (got < n) {
    if (got == cap) {
      size_t ncap = cap * 2 < n ? cap * 2 : n;
      unsigned char *nb = realloc(buf, ncap);
      if (nb == NULL) {
        free(buf);
        snprintf(f->why, sizeof f->why, "out of memory for %zu bytes", n);
        return NULL;
      }
      buf = nb;
      cap = ncap;
    }
    size_t came;
    if (read_some(f, buf + got, cap - got, &came, what) != 0) {
      free(buf);
      return NULL;
    }
    got += came;
    if (got < cap) {
      snprintf(f->why, sizeof f->why,
               "the header promises %zu bytes of %s but the file holds only %zu: the "
               "counts disagree with the file's size", n, what, got);
      free(buf);
      return NULL;
    }
  }
  unsigned char extra;
  const int r = gzread(f->gz, &extra, 1);
  if (r != 0) {
    int err;
    const char *m = gzerror(f->gz, &err);
    if (r > 0)
      snprintf(f->why, sizeof f->why,
               "bytes follow the %zu bytes of %s that the header promises: the counts "
               "disagree with the file's size", n, what);
    else
      snprintf(f->why, sizeof f->why, "the gzip stream is damaged after %s (%s)", what, m);
    free(buf);
    return NULL;
  }
  int err;
  gzerror(f->gz, &err);
  if (err != Z_OK && err != Z_STREAM_END) {
    snprintf(f->why, sizeof f->why, "the gzip stream is truncated or damaged after %s", what);
    free(buf);
    return NULL;
  }
  return buf;
}

static void
close_file(idx_file *f)
{
  if (f->gz != NULL)
    gzclose(f->gz);
  f->gz = NULL;
}

int
nn_idx_read_images(const char *path, size_t *n, size_t *rows, size_t *cols,
                   unsigned char **pixels)
{
  const char *who = "nn_idx_read_images";
  if (path == NULL || n == NULL || rows == NULL || cols == NULL || pixels == NULL)
    GSL_ERROR("nn_idx_read_images: no argument may be NULL", GSL_EINVAL);
  idx_file f = {0};
  uint32_t s[3];
  if (open_header(&f, path, 3, s) != 0) {
    close_file(&f);
    return idx_error(&f, who);
  }
  if (s[0] == 0 || s[1] == 0 || s[2] == 0) {
    snprintf(f.why, sizeof f.why, "the header says %u images of %ux%u pixels: none to read",
             s[0], s[1], s[2]);
    close_file(&f);
    return idx_error(&f, who);
  }
  /* rows·cols fits in 64 bits, but N·rows·cols may not (2^22 · 2^21 · 2^21
   * would wrap to 0): compare before multiplying. */
  const uint64_t per_image = (uint64_t) s[1] * s[2];
  if (s[0] > (SIZE_MAX / 2) / per_image) {
    snprintf(f.why, sizeof f.why, "the header's %u images of %ux%u pixels are too many",
             s[0], s[1], s[2]);
    close_file(&f);
    return idx_error(&f, who);
  }
  unsigned char *data = read_body(&f, (size_t) (s[0] * per_image), "pixels");
  close_file(&f);
  if (data == NULL)
    return idx_error(&f, who);
  *n = s[0];
  *rows = s[1];
  *cols = s[2];
  *pixels = data;
  return GSL_SUCCESS;
}

int
nn_idx_read_labels(const char *path, size_t n_classes, size_t *n, unsigned char **labels)
{
  const char *who = "nn_idx_read_labels";
  if (path == NULL || n == NULL || labels == NULL)
    GSL_ERROR("nn_idx_read_labels: no argument may be NULL", GSL_EINVAL);
  idx_file f = {0};
  uint32_t s[1];
  if (open_header(&f, path, 1, s) != 0) {
    close_file(&f);
    return idx_error(&f, who);
  }
  if (s[0] == 0) {
    snprintf(f.why, sizeof f.why, "the header says 0 labels: none to read");
    close_file(&f);
    return idx_error(&f, who);
  }
  unsigned char *data = read_body(&f, s[0], "labels");
  close_file(&f);
  if (data == NULL)
    return idx_error(&f, who);
  for (size_t i = 0; i < s[0]; i++)
    if (data[i] >= n_classes) {
      snprintf(f.why, sizeof f.why, "label %zu is %u, outside the classes 0 to %zu", i,
               data[i], n_classes - 1);
      free(data);
      return idx_error(&f, who);
    }
  *n = s[0];
  *labels = data;
  return GSL_SUCCESS;
}

void
nn_images_free(nn_images *set)
{
  if (set == NULL)
    return;
  free(set->pixels);
  free(set->labels);
  free(set);
}

nn_images *
nn_images_load(const char *images_path, const char *labels_path)
{
  if (images_path == NULL || labels_path == NULL)
    GSL_ERROR_NULL("nn_images_load: the paths must not be NULL", GSL_EINVAL);
  nn_images *set = calloc(1, sizeof *set);
  if (set == NULL)
    GSL_ERROR_NULL("nn_images_load: out of memory", GSL_ENOMEM);
  size_t n_labels = 0;
  if (nn_idx_read_images(images_path, &set->n, &set->rows, &set->cols, &set->pixels)
        != GSL_SUCCESS
      || nn_idx_read_labels(labels_path, NN_IDX_CLASSES, &n_labels, &set->labels)
           != GSL_SUCCESS) {
    nn_images_free(set);
    return NULL;
  }
  if (n_labels != set->n) {
    char msg[768];
    snprintf(msg, sizeof msg, "nn_images_load: %s holds %zu images but %s %zu labels",
             images_path, set->n, labels_path, n_labels);
    nn_images_free(set);
    GSL_ERROR_NULL(msg, GSL_EFAILED);
  }
  return set;
}

/* DIR/NAME, or DIR/NAME.gz when only that exists; into buf. */
static const char *
find_file(char *buf, size_t size, const char *dir, const char *name)
{
  snprintf(buf, size, "%s/%s", dir, name);
  FILE *f = fopen(buf, "rb");
  if (f != NULL) {
    fclose(f);
    return buf;
  }
  snprintf(buf, size, "%s/%s.gz", dir, name);
  return buf;
}

nn_images *
nn_images_load_fashion(const char *dir, int train)
{
  if (dir == NULL)
    dir = getenv("NN_FASHION_MNIST");
  if (dir == NULL || dir[0] == '\0')
    dir = NN_FASHION_MNIST_DIR;
  char images[1024], labels[1024];
  const char *prefix = train ? "train" : "t10k";
  char name[64];
  snprintf(name, sizeof name, "%s-images-idx3-ubyte", prefix);
  find_file(images, sizeof images, dir, name);
  snprintf(name, sizeof name, "%s-labels-idx1-ubyte", prefix);
  find_file(labels, sizeof labels, dir, name);
  FILE *f = fopen(images, "rb");
  if (f == NULL) {
    char msg[1400];
    snprintf(msg, sizeof msg,
             "nn_images_load_fashion: Fashion-MNIST is not in %s (no %s): install the "
             "Debian package %s, or give the folder that holds it (option or the "
             "environment variable NN_FASHION_MNIST)", dir, images, NN_FASHION_MNIST_PACKAGE);
    GSL_ERROR_NULL(msg, GSL_EFAILED);
  }
  fclose(f);
  return nn_images_load(images, labels);
}

int
nn_images_truncate(nn_images *set, size_t n)
{
  if (set == NULL)
    GSL_ERROR("nn_images_truncate: the set must not be NULL", GSL_EINVAL);
  if (n == 0 || n > set->n) {
    char msg[160];
    snprintf(msg, sizeof msg, "nn_images_truncate: cannot keep %zu of %zu images", n,
             set->n);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  set->n = n;
  return GSL_SUCCESS;
}

int
nn_images_batch(const nn_images *set, const gsl_permutation *order, size_t batch,
                gsl_matrix *Xb, gsl_vector *yb, size_t *rows)
{
  if (set == NULL || Xb == NULL || yb == NULL || rows == NULL)
    GSL_ERROR("nn_images_batch: set, Xb, yb and rows must not be NULL", GSL_EINVAL);
  const size_t B = Xb->size1, D = set->rows * set->cols;
  char msg[256];
  if (B == 0 || Xb->size2 != D || yb->size != B || (order != NULL && order->size != set->n)) {
    snprintf(msg, sizeof msg,
             "nn_images_batch: Xb is %zux%zu, yb has %zu entries and order %zu, but "
             "images have %zu pixels, the set %zu images, and B must be >= 1",
             Xb->size1, Xb->size2, yb->size, order ? order->size : set->n, D, set->n);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  const size_t first = batch * B;
  if (batch > set->n / B || first >= set->n) {
    snprintf(msg, sizeof msg, "nn_images_batch: batch %zu starts at image %zu, past the "
             "last of %zu", batch, first, set->n);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  const size_t count = set->n - first < B ? set->n - first : B;
  const double scale = 1.0 / 255.0;
  for (size_t r = 0; r < count; r++) {
    const size_t i = order != NULL ? gsl_permutation_get(order, first + r) : first + r;
    const unsigned char *px = set->pixels + i * D;
    double *x = gsl_matrix_ptr(Xb, r, 0);
    for (size_t j = 0; j < D; j++)
      x[j] = px[j] * scale;
    gsl_vector_set(yb, r, set->labels[i]);
  }
  *rows = count;
  return GSL_SUCCESS;
}
