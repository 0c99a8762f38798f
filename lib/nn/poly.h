/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nn/poly.h: polynomials and their derivatives.
 *
 * A polynomial is the vector of its coefficients, lowest power first:
 *
 *   c = (c_0, c_1, ..., c_n)   means   p(x) = c_0 + c_1 x + ... + c_n x^n
 *
 * and its derivative, by the power rule d/dx x^k = k x^(k-1), is
 *
 *   p'(x) = c_1 + 2 c_2 x + ... + n c_n x^(n-1),
 *
 * stored in a vector of the same length as c whose last entry is 0, so that a
 * polynomial and its derivative can share one size. Example: 3x² - 3x + 4 is
 * (4, -3, 3); its derivative 6x - 3 is (-3, 6, 0).
 *
 * Errors: GSL_EBADLEN for an empty vector or vectors of different lengths.
 */
#ifndef NN_POLY_H
#define NN_POLY_H

#include <gsl/gsl_vector.h>

/* *result = p(x), by Horner's rule. */
int nn_poly_eval(const gsl_vector *c, double x, double *result);

/* dc = the coefficients of p' (same length as c; last entry 0). c and dc may
 * be the same vector. */
int nn_poly_derivative(const gsl_vector *c, gsl_vector *dc);

/* p(x) as a gsl_function callback: params points to the coefficient vector
 * (a const gsl_vector *). Returns NaN when params is NULL or empty. */
double nn_poly_function(double x, void *params);

#endif /* NN_POLY_H */
