/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nn/linalg.h: the dot product and the matrix-vector product.
 *
 * The two products every neuron is made of:
 *
 *   x · y = Σ_i x_i y_i                      (multiply, then sum)
 *   (W x)_i = Σ_j W_ij x_j = (row i of W) · x  (one dot product per row)
 *
 * nn_linalg_matvec_rows() computes W x the way it is taught, as stacked dot
 * products; nn_linalg_matvec() calls BLAS (gsl_blas_dgemv) for the same
 * numbers, fast. Both write into a vector the caller allocated.
 *
 * Errors: GSL_EBADLEN when the sizes do not fit, with both sizes in the message.
 */
#ifndef NN_LINALG_H
#define NN_LINALG_H

#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

/* *result = x · y. x and y have the same length (0 gives 0). */
int nn_linalg_dot(const gsl_vector *x, const gsl_vector *y, double *result);

/* y = W x by stacked dot products: y_i = (row i of W) · x.
 * W is (m, n), x has n entries, y has m entries. */
int nn_linalg_matvec_rows(const gsl_matrix *W, const gsl_vector *x, gsl_vector *y);

/* y = W x through BLAS; same shapes and errors as nn_linalg_matvec_rows(). */
int nn_linalg_matvec(const gsl_matrix *W, const gsl_vector *x, gsl_vector *y);

#endif /* NN_LINALG_H */
