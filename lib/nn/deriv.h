/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nn/deriv.h: numerical derivatives.
 *
 * The derivative is the limit of a difference quotient. With a finite step h:
 *
 *   forward:  f'(x) ≈ (f(x+h) - f(x)) / h            error ≈ (h/2)   f''(x)
 *   central:  f'(x) ≈ (f(x+h) - f(x-h)) / (2h)       error ≈ (h²/6)  f'''(x)
 *
 * Halving h halves the forward error and quarters the central one, until h is
 * so small that f(x+h) and f(x-h) agree in most of their digits and round-off
 * (about ε|f(x)|/h, with ε = 2.2e-16) takes over. GSL's gsl_deriv_central()
 * refines the central difference and also estimates its own error.
 *
 * Functions are gsl_function: { double (*function)(double x, void *params); params }.
 * Errors: GSL_EDOM when h is not a finite positive number, GSL_EINVAL for a NULL f.
 */
#ifndef NN_DERIV_H
#define NN_DERIV_H

#include <gsl/gsl_math.h>
#include <gsl/gsl_vector.h>

/* *result = (f(x+h) - f(x)) / h. */
int nn_deriv_forward(const gsl_function *f, double x, double h, double *result);

/* *result = (f(x+h) - f(x-h)) / (2h). */
int nn_deriv_central(const gsl_function *f, double x, double h, double *result);

/* GSL's adaptive central difference (gsl_deriv_central) with initial step h;
 * *abserr receives GSL's estimate of the absolute error (may be NULL). */
int nn_deriv_gsl_central(const gsl_function *f, double x, double h,
                         double *result, double *abserr);

/* A scalar function of a vector: f(x; params). */
typedef double nn_deriv_vector_fn(const gsl_vector *x, void *params);

/* Partial derivative ∂f/∂x_i at x by a central difference in component i.
 * x is changed during the call and restored, bit for bit, before it returns.
 * GSL_EBADLEN when i is not an index of x. */
int nn_deriv_partial(nn_deriv_vector_fn *f, void *params, gsl_vector *x,
                     size_t i, double h, double *result);

#endif /* NN_DERIV_H */
