/* SPDX-License-Identifier: GPL-3.0-or-later */
/* remote-ex07.h: exercise 7's functions, called in the probe (see testkit.h).
 *
 * The same contracts as exercise7.h; each returns the student's status, or
 * NNG_PROBE_FAILED when the probe did not answer. Outputs are sent along with
 * their value before the call and read back after it, so a test can check
 * both that gradients accumulate and that an error left them untouched.
 */
#ifndef NNG_REMOTE_EX07_H
#define NNG_REMOTE_EX07_H

#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "calls-ex07.h"

int nng_ex7_add_backward(double dc, double *da, double *db);
int nng_ex7_mul_backward(double a, double b, double dc, double *da, double *db);
/* ex7_mul_backward(a, a, dc, g, g): c = a · a, one number receiving both
 * shares. */
int nng_ex7_mul_backward_square(double a, double dc, double *g);
int nng_ex7_tanh_backward(double c, double dc, double *da);
/* dX may be NULL. */
int nng_ex7_dense_backward(const gsl_matrix *X, const gsl_matrix *W,
                           const gsl_matrix *dY, gsl_matrix *dX, gsl_matrix *dW,
                           gsl_vector *db);

#endif /* NNG_REMOTE_EX07_H */
