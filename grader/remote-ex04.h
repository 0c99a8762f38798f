/* SPDX-License-Identifier: GPL-3.0-or-later */
/* remote-ex04.h: exercise 4's functions, called in the probe (see testkit.h).
 *
 * The same contracts as exercise4.h; each returns the student's status, or
 * NNG_PROBE_FAILED when the probe did not answer. Outputs are sent along with
 * their value before the call and read back after it, so a test can check
 * that an error left them untouched. An empty batch of losses is a
 * gsl_vector with size 0 (data may point anywhere): it crosses the process
 * boundary as a vector of no entries.
 */
#ifndef NNG_REMOTE_EX04_H
#define NNG_REMOTE_EX04_H

#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "calls-ex04.h"

/* The clamp of exercise4.h's binary cross-entropy (EX4_EPSILON). */
#define NNG_EX4_EPSILON 1e-12

int nng_ex4_mse(const gsl_matrix *Yhat, const gsl_matrix *Y, gsl_vector *losses);
int nng_ex4_mse_grad(const gsl_matrix *Yhat, const gsl_matrix *Y, gsl_matrix *dYhat);
int nng_ex4_bce(const gsl_matrix *P, const gsl_matrix *Y, gsl_vector *losses);
int nng_ex4_bce_grad(const gsl_matrix *P, const gsl_matrix *Y, gsl_matrix *dP);
int nng_ex4_cross_entropy(const gsl_matrix *Z, const gsl_matrix *Y, gsl_vector *losses);
int nng_ex4_cross_entropy_grad(const gsl_matrix *Z, const gsl_matrix *Y,
                               gsl_matrix *dZ);
int nng_ex4_cost(const gsl_vector *losses, double *cost);

#endif /* NNG_REMOTE_EX04_H */
