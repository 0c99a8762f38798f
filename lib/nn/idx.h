/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nn/idx.h: image data sets in the IDX format of MNIST and Fashion-MNIST.
 *
 * An IDX file is a header and then the data, every number big-endian:
 *
 *   bytes       what
 *   2           0, 0
 *   1           the type of the values: 0x08 for unsigned bytes
 *   1           the number of dimensions: 3 for images, 1 for labels
 *   4 × dims    the size of each dimension: N, rows, cols (or N)
 *   N·rows·cols the values, image after image, row after row
 *
 * so an image file starts 00 00 08 03 and a label file 00 00 08 01. The
 * files may be gzipped (as Debian's dataset-fashion-mnist installs them):
 * zlib reads both.
 *
 * A set is kept as it is in the file, one byte a pixel (60,000 images of
 * 28×28 are 47 MB as bytes, 376 MB as doubles); a mini-batch scales its
 * rows to [0, 1] when it is copied out (nn_images_batch), so training never
 * holds the set as doubles.
 *
 * Every malformed file is refused, with its name and what is wrong: a wrong
 * magic number, a type other than bytes, a header whose counts disagree
 * with the file's length (too short, or bytes left over), a truncated or
 * damaged gzip stream, a label above the last class, images and labels of
 * different counts, an empty file. Nothing is allocated from a header's
 * counts before the data is there: a file that claims a billion images but
 * holds ten is refused after reading ten.
 *
 * Where the data is: nn_images_load_fashion() looks in the folder given, or
 * else in $NN_FASHION_MNIST, or else in NN_FASHION_MNIST_DIR (where the
 * Debian package installs it); a missing set is an error that names the
 * package to install.
 *
 * Errors: GSL_EFAILED for a file that cannot be read or is malformed (the
 * message names the file); GSL_EBADLEN for a batch of the wrong shape;
 * GSL_EINVAL for NULL; GSL_ENOMEM.
 */
#ifndef NN_IDX_H
#define NN_IDX_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_permutation.h>
#include <gsl/gsl_vector.h>

#define NN_FASHION_MNIST_DIR "/usr/share/datasets/fashion-mnist"
#define NN_FASHION_MNIST_PACKAGE "dataset-fashion-mnist"
#define NN_IDX_CLASSES 10

/* N images of rows × cols pixels and their labels. */
typedef struct nn_images {
  size_t n;                /* N: images */
  size_t rows, cols;       /* pixels per image: rows × cols */
  unsigned char *pixels;   /* N·rows·cols bytes, 0 (background) to 255; owned */
  unsigned char *labels;   /* N labels, 0 .. NN_IDX_CLASSES-1; owned */
} nn_images;

/* Read an image file: *pixels (owned by the caller, free()) holds *n images
 * of *rows × *cols bytes. */
int nn_idx_read_images(const char *path, size_t *n, size_t *rows, size_t *cols,
                       unsigned char **pixels);

/* Read a label file: *labels (free()) holds *n labels, each below
 * n_classes. */
int nn_idx_read_labels(const char *path, size_t n_classes, size_t *n,
                       unsigned char **labels);

/* An image file and its label file as one set; their counts must agree.
 * NULL (and an error naming the file) when either is refused. */
nn_images *nn_images_load(const char *images_path, const char *labels_path);

/* Fashion-MNIST's training set (train = 1, 60,000 images) or test set
 * (train = 0, 10,000) from DIR (NULL: $NN_FASHION_MNIST, else
 * NN_FASHION_MNIST_DIR), gzipped or not. */
nn_images *nn_images_load_fashion(const char *dir, int train);

/* Accepts NULL. */
void nn_images_free(nn_images *set);

/* Keep only the first n images (n <= set->n): a subset for a quick run. */
int nn_images_truncate(nn_images *set, size_t n);

/* Copy batch number `batch` of B = Xb->size1 rows, in the order of `order`
 * (NULL: the file's order), into Xb (B, rows·cols), each pixel scaled to
 * [0, 1], and the labels into yb (B). *rows = the rows filled (the last
 * batch may be short). */
int nn_images_batch(const nn_images *set, const gsl_permutation *order, size_t batch,
                    gsl_matrix *Xb, gsl_vector *yb, size_t *rows);

#endif /* NN_IDX_H */
