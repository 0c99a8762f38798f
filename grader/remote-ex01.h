/* SPDX-License-Identifier: GPL-3.0-or-later */
/* remote-ex01.h: exercise 1's functions, called in the probe (see testkit.h).
 *
 * The same contracts as exercise1.h; each returns the student's status, or
 * NNG_PROBE_FAILED when the probe did not answer. Outputs are sent along with
 * their value before the call and read back after it, so a test can check
 * that an error left them untouched. A central difference cannot send a
 * function pointer across processes, so it names one of the functions of
 * calls-ex01.h (NNG_FN_POLY, NNG_FN_SIN, NNG_FN_EXP) and its parameters.
 */
#ifndef NNG_REMOTE_EX01_H
#define NNG_REMOTE_EX01_H

#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "calls-ex01.h"

int nng_ex1_dot(const gsl_vector *x, const gsl_vector *y, double *result);
int nng_ex1_matvec(const gsl_matrix *W, const gsl_vector *x, gsl_vector *y);
int nng_ex1_central_difference(int kind, const gsl_vector *params, double x,
                               double h, double *result, long *evaluations);
int nng_ex1_poly_derivative(const gsl_vector *c, gsl_vector *dc);
/* ex1_poly_derivative(c, c): the derivative written over its input. */
int nng_ex1_poly_derivative_in_place(gsl_vector *c);

#endif /* NNG_REMOTE_EX01_H */
