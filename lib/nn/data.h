/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nn/data.h: synthetic data sets, shuffling and mini-batches.
 *
 * A data set is N samples: the inputs X, one sample per row, and the labels
 * or targets y, one per sample:
 *
 *   X is (N, d)     y has N entries: a class 0, 1, ... or a number to predict
 *
 * The generators draw every random number from the caller's gsl_rng, so the
 * same seed gives the same data set, bit for bit. Rows come in class order
 * (all of class 0, then class 1, ...); shuffle before training on
 * mini-batches.
 *
 *   separable    two classes in the square [-2, 3]², on either side of the
 *                line x₁ + x₂ = 1 (class 1 above it), with an empty band of
 *                width `margin` along the line: a perceptron learns it.
 *   xor          four Gaussian blobs of standard deviation sd around the
 *                corners of the unit square; (0,0) and (1,1) are class 0,
 *                (0,1) and (1,0) class 1: no line separates them.
 *   blobs        k Gaussian blobs (standard deviation sd in every direction)
 *                around the rows of a (k, d) matrix of centres; the blob
 *                around row c is class c.
 *   qwerties     the course's two blobs: 100 per class around (1, 1) and
 *                (5, 1), sd 1 (blobs with the defaults below).
 *   regression   y = m·x + ε, x ~ N(0, 1), ε ~ N(0, noise_sd²): X is (N, 1).
 *
 * Mini-batches (lecture 8): shuffle an index permutation once per epoch,
 * then copy batch after batch of rows in that order:
 *
 *   order = gsl_permutation_alloc(data->X->size1);
 *   Xb = gsl_matrix_alloc(B, d);  yb = gsl_vector_alloc(B);
 *   for each epoch:
 *     nn_data_shuffle(rng, order);
 *     for (b = 0; b < nn_data_batch_count(N, B); b++)
 *       nn_data_batch(data, order, b, Xb, yb, &rows);   rows <= B (the last
 *                                                       batch may be short)
 *
 * Errors: GSL_EBADLEN for empty sizes and shapes that do not fit (both sizes
 * in the message); GSL_EDOM for a standard deviation or margin out of range
 * or not finite; GSL_EINVAL for NULL arguments; GSL_ENOMEM.
 */
#ifndef NN_DATA_H
#define NN_DATA_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_permutation.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_vector.h>

/* The course's defaults. */
#define NN_DATA_QWERTIES_N 100         /* samples per class */
#define NN_DATA_QWERTIES_SD 1.0        /* standard deviation of each blob */
#define NN_DATA_REGRESSION_N 50        /* samples */
#define NN_DATA_REGRESSION_NOISE 0.5   /* standard deviation of the noise */
#define NN_DATA_SEPARABLE_MARGIN_MAX 2.0  /* widest band separable data allows */

/* A data set. */
typedef struct nn_data {
  gsl_matrix *X;  /* (N, d): one sample per row */
  gsl_vector *y;  /* N entries: the class of each row (0, 1, ...) or its target */
} nn_data;

/* A data set of n samples of d inputs, filled with zeros. The caller frees
 * it with nn_data_free. */
nn_data *nn_data_alloc(size_t n, size_t d);

/* Accepts NULL. */
void nn_data_free(nn_data *data);

/* ===== Generators: each returns a new data set (or NULL) ===== */

/* n_per_class samples of each class, 0 <= margin <= NN_DATA_SEPARABLE_MARGIN_MAX:
 * X is (2 n_per_class, 2). Every point is at least margin/2 from the line. */
nn_data *nn_data_separable(gsl_rng *r, size_t n_per_class, double margin);

/* n_per_corner samples around each corner of the unit square, sd >= 0:
 * X is (4 n_per_corner, 2); corners (0,0), (1,1) [class 0], (0,1), (1,0) [class 1]. */
nn_data *nn_data_xor(gsl_rng *r, size_t n_per_corner, double sd);

/* n_per_class samples around each row of centres (k, d), sd >= 0:
 * X is (k n_per_class, d), y the class 0 .. k-1 of each row. */
nn_data *nn_data_blobs(gsl_rng *r, const gsl_matrix *centres, size_t n_per_class,
                       double sd);

/* The course's qwerties: nn_data_blobs with centres (1, 1) and (5, 1),
 * NN_DATA_QWERTIES_N per class and sd NN_DATA_QWERTIES_SD. */
nn_data *nn_data_qwerties(gsl_rng *r);

/* n samples of y = slope·x + noise: X is (n, 1). noise_sd >= 0; the course
 * uses n = NN_DATA_REGRESSION_N and noise_sd = NN_DATA_REGRESSION_NOISE. */
nn_data *nn_data_regression(gsl_rng *r, size_t n, double slope, double noise_sd);

/* ===== Shuffling and mini-batches ===== */

/* order = a uniformly random permutation of 0 .. size-1 (Fisher–Yates, by
 * gsl_ran_shuffle). Whatever order held before is overwritten. */
int nn_data_shuffle(gsl_rng *r, gsl_permutation *order);

/* The number of batches of batch_size rows that cover n rows: ⌈n / batch_size⌉
 * (the last one may be short). 0 when batch_size is 0. */
size_t nn_data_batch_count(size_t n, size_t batch_size);

/* Copy batch number `batch` into Xb, yb: rows order[batch·B ...] of data,
 * where B = Xb->size1 is the batch size. *rows receives how many rows were
 * copied (B, or fewer for the last batch: use the first *rows rows of Xb
 * and yb). order has N entries; Xb is (B, d) with d the columns of data->X;
 * yb has B entries. GSL_EBADLEN when a shape does not fit or the batch is
 * past the last one. */
int nn_data_batch(const nn_data *data, const gsl_permutation *order, size_t batch,
                  gsl_matrix *Xb, gsl_vector *yb, size_t *rows);

#endif /* NN_DATA_H */
