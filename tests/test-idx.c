/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of nn/idx.h on IDX files the test writes itself, plain and gzipped:
 * a good set reads back byte for byte and batches scale to [0, 1]; every
 * malformed file is refused with its name and what is wrong. */
#include "nntest.h"

#include <unistd.h>
#include <zlib.h>
#include <nn/idx.h>

static char dir[64];

static int
make_dir(void **state)
{
  (void) state;
  snprintf(dir, sizeof dir, "test-idx.XXXXXX");
  return mkdtemp(dir) == NULL;
}

static int
remove_dir(void **state)
{
  (void) state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  return system(cmd) != 0;
}

/* Write LEN bytes to DIR/NAME, gzipped when GZ; the path into PATH. */
static void
write_file(char *path, size_t size, const char *name, const unsigned char *bytes, size_t len,
           int gz)
{
  snprintf(path, size, "%s/%s", dir, name);
  if (gz) {
    gzFile f = gzopen(path, "wb");
    assert_non_null(f);
    if (len > 0)
      assert_int_equal(gzwrite(f, bytes, (unsigned) len), (int) len);
    assert_int_equal(gzclose(f), Z_OK);
  } else {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    if (len > 0)  /* an empty file has no bytes: fwrite must not see NULL */
      assert_int_equal(fwrite(bytes, 1, len, f), len);
    fclose(f);
  }
}

/* An image file of N images of R x C pixels, pixel k = (7k + 3) mod 256, with
 * EXTRA bytes more (negative: fewer) than the header promises. */
static unsigned char *
image_bytes(unsigned n, unsigned r, unsigned c, long extra, size_t *len)
{
  const size_t body = (size_t) n * r * c;
  *len = (size_t) ((long) (16 + body) + extra);
  unsigned char *b = calloc(*len + 16, 1);
  const unsigned char head[16] = {0, 0, 8, 3, 0, 0, (unsigned char) (n >> 8), (unsigned char) n,
                                  0, 0, 0, (unsigned char) r, 0, 0, 0, (unsigned char) c};
  memcpy(b, head, 16);
  for (size_t k = 0; 16 + k < *len; k++)
    b[16 + k] = (unsigned char) ((7 * k + 3) % 256);
  return b;
}

static unsigned char *
label_bytes(unsigned n, unsigned char top, size_t *len)
{
  *len = 8 + n;
  unsigned char *b = calloc(*len, 1);
  const unsigned char head[8] = {0, 0, 8, 1, 0, 0, (unsigned char) (n >> 8), (unsigned char) n};
  memcpy(b, head, 8);
  for (unsigned i = 0; i < n; i++)
    b[8 + i] = (unsigned char) (i % 10);
  if (n > 0)
    b[8 + n - 1] = top;
  return b;
}

static void
good_files_read_back_and_batch_to_unit_scale(void **state)
{
  (void) state;
  for (int gz = 0; gz <= 1; gz++) {
    char ipath[128], lpath[128];
    size_t ilen, llen;
    unsigned char *img = image_bytes(5, 3, 4, 0, &ilen);
    unsigned char *lab = label_bytes(5, 9, &llen);
    write_file(ipath, sizeof ipath, gz ? "img.gz" : "img", img, ilen, gz);
    write_file(lpath, sizeof lpath, gz ? "lab.gz" : "lab", lab, llen, gz);
    nn_images *set = nn_images_load(ipath, lpath);
    assert_non_null(set);
    assert_int_equal(set->n, 5);
    assert_int_equal(set->rows, 3);
    assert_int_equal(set->cols, 4);
    assert_memory_equal(set->pixels, img + 16, 60);
    assert_memory_equal(set->labels, lab + 8, 5);
    /* batches of 2 in the order 4 3 2 1 0: the last holds one image */
    gsl_permutation *order = gsl_permutation_alloc(5);
    gsl_permutation_init(order);
    gsl_permutation_reverse(order);
    gsl_matrix *X = gsl_matrix_alloc(2, 12);
    gsl_vector *y = gsl_vector_alloc(2);
    size_t rows = 0;
    assert_int_equal(nn_images_batch(set, order, 2, X, y, &rows), GSL_SUCCESS);
    assert_int_equal(rows, 1);
    for (size_t j = 0; j < 12; j++)
      assert_close(gsl_matrix_get(X, 0, j), img[16 + j] / 255.0, 1e-15);
    assert_close(gsl_vector_get(y, 0), lab[8], 0);
    assert_int_equal(nn_images_batch(set, order, 0, X, y, &rows), GSL_SUCCESS);
    assert_int_equal(rows, 2);
    assert_close(gsl_matrix_get(X, 1, 5), img[16 + 3 * 12 + 5] / 255.0, 1e-15);
    assert_close(gsl_vector_get(y, 1), lab[8 + 3], 0);
    assert_gsl_error(nn_images_batch(set, order, 3, X, y, &rows), GSL_EBADLEN,
                     "past the last");
    gsl_matrix *wide = gsl_matrix_alloc(2, 13);
    assert_gsl_error(nn_images_batch(set, NULL, 0, wide, y, &rows), GSL_EBADLEN, "12 pixels");
    assert_int_equal(nn_images_truncate(set, 3), GSL_SUCCESS);
    assert_gsl_error(nn_images_batch(set, NULL, 2, X, y, &rows), GSL_EBADLEN, "past the last");
    gsl_matrix_free(wide);
    gsl_matrix_free(X);
    gsl_vector_free(y);
    gsl_permutation_free(order);
    nn_images_free(set);
    free(img);
    free(lab);
  }
}

/* The file at PATH is refused as images (or labels), naming it and WANT. */
static void
refused(const char *path, int labels, const char *want)
{
  size_t n, r, c;
  unsigned char *data = NULL;
  nn_test_last_error[0] = '\0';
  const int status = labels ? nn_idx_read_labels(path, 10, &n, &data)
                            : nn_idx_read_images(path, &n, &r, &c, &data);
  if (status != GSL_EFAILED || data != NULL)
    fail_msg("%s was not refused (status %d); expected \"%s\"", path, status, want);
  if (strstr(nn_test_last_error, path) == NULL || strstr(nn_test_last_error, want) == NULL)
    fail_msg("the error \"%s\" should name %s and say \"%s\"", nn_test_last_error, path, want);
}

static void
malformed_files_are_refused_with_the_reason(void **state)
{
  (void) state;
  char path[128];
  size_t len;
  for (int gz = 0; gz <= 1; gz++) {
    unsigned char *b = image_bytes(4, 2, 2, 0, &len);
    b[3] = 1;  /* a label file's magic */
    write_file(path, sizeof path, "magic", b, len, gz);
    refused(path, 0, "magic number is 00 00 08 01");
    b[3] = 3;
    b[2] = 0x0D;  /* floats */
    write_file(path, sizeof path, "type", b, len, gz);
    refused(path, 0, "not 00 00 08 03");
    free(b);

    b = image_bytes(4, 2, 2, -3, &len);
    write_file(path, sizeof path, "short", b, len, gz);
    refused(path, 0, "counts disagree");
    free(b);
    b = image_bytes(4, 2, 2, 5, &len);
    write_file(path, sizeof path, "long", b, len, gz);
    refused(path, 0, "counts disagree");
    free(b);
    b = image_bytes(4, 2, 2, -16 - 16, &len);  /* cut inside the header */
    write_file(path, sizeof path, "header", b, 10, gz);
    refused(path, 0, "header");
    free(b);
    /* A header that claims 65535 images of 255 x 255: refused after the
     * few bytes there are, without allocating 4 GB. */
    b = image_bytes(4, 2, 2, 0, &len);
    b[6] = b[7] = 0xFF;
    b[11] = b[15] = 0xFF;
    write_file(path, sizeof path, "liar", b, len, gz);
    refused(path, 0, "holds only 16");
    free(b);
    /* 2^22 images of 2^21 x 2^21 pixels: 2^64 bytes, which is 0 in 64-bit
     * arithmetic; read as 0 bytes, such a set would be 2^64 bytes short. */
    b = image_bytes(0, 0, 0, 0, &len);
    b[5] = 0x40;
    b[9] = b[13] = 0x20;
    write_file(path, sizeof path, "wraps", b, len, gz);
    refused(path, 0, "too many");
    free(b);

    b = label_bytes(6, 10, &len);
    write_file(path, sizeof path, "label10", b, len, gz);
    refused(path, 1, "label 5 is 10");
    free(b);
  }
  write_file(path, sizeof path, "empty", NULL, 0, 0);
  refused(path, 0, "empty");
  refused("no/such/file", 0, "cannot be opened");
  refused(dir, 0, "a folder, not a file");

  /* A gzipped file cut short: zlib notices the stream ends early. */
  size_t ilen;
  unsigned char *img = image_bytes(40, 10, 10, 0, &ilen);
  write_file(path, sizeof path, "whole.gz", img, ilen, 1);
  FILE *f = fopen(path, "rb");
  unsigned char gzbuf[8192];
  const size_t gzlen = fread(gzbuf, 1, sizeof gzbuf, f);
  fclose(f);
  write_file(path, sizeof path, "cut.gz", gzbuf, gzlen - 12, 0);
  refused(path, 0, "gzip");
  /* and one with a damaged byte in the middle of its stream */
  gzbuf[gzlen / 2] ^= 0x55;
  write_file(path, sizeof path, "bad.gz", gzbuf, gzlen, 0);
  refused(path, 0, "gzip");
  free(img);
}

static void
images_and_labels_must_agree_in_count(void **state)
{
  (void) state;
  char ipath[128], lpath[128];
  size_t ilen, llen;
  unsigned char *img = image_bytes(5, 2, 2, 0, &ilen);
  unsigned char *lab = label_bytes(4, 3, &llen);
  write_file(ipath, sizeof ipath, "i5", img, ilen, 0);
  write_file(lpath, sizeof lpath, "l4", lab, llen, 0);
  nn_test_last_error[0] = '\0';
  assert_null(nn_images_load(ipath, lpath));
  assert_non_null(strstr(nn_test_last_error, "5 images"));
  assert_non_null(strstr(nn_test_last_error, "4 labels"));
  free(img);
  free(lab);
}

static void
a_missing_data_set_names_the_package(void **state)
{
  (void) state;
  nn_test_last_error[0] = '\0';
  assert_null(nn_images_load_fashion("no/such/folder", 1));
  assert_non_null(strstr(nn_test_last_error, NN_FASHION_MNIST_PACKAGE));
  assert_non_null(strstr(nn_test_last_error, "no/such/folder"));
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(good_files_read_back_and_batch_to_unit_scale),
    cmocka_unit_test(malformed_files_are_refused_with_the_reason),
    cmocka_unit_test(images_and_labels_must_agree_in_count),
    cmocka_unit_test(a_missing_data_set_names_the_package),
  };
  return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
