/* SPDX-License-Identifier: GPL-3.0-or-later */
/* remote-ex02.h: exercise 2's functions, called in the probe (see testkit.h).
 *
 * The same contracts as exercise2.h; each returns the student's status, or
 * NNG_PROBE_FAILED when the probe did not answer. Outputs are sent along with
 * their value before the call and read back after it, so a test can check
 * that an error left them untouched. The kind of an activation is an int
 * here, so that a test can send one that is not an ex2_activation; its
 * values are those of exercise2.h, repeated below (nngrade does not include
 * the student's header).
 */
#ifndef NNG_REMOTE_EX02_H
#define NNG_REMOTE_EX02_H

#include <gsl/gsl_vector.h>

#include "calls-ex02.h"

/* The values of ex2_activation. */
enum {
  NNG_EX2_STEP = 0,
  NNG_EX2_SIGMOID,
  NNG_EX2_TANH,
  NNG_EX2_RELU,
  NNG_EX2_LEAKY_RELU,
  NNG_EX2_N_KINDS
};

int nng_ex2_weighted_sum(const gsl_vector *w, double w0, const gsl_vector *x,
                         double *z);
int nng_ex2_activate(int kind, double slope, const gsl_vector *z, gsl_vector *a);
int nng_ex2_activate_deriv(int kind, double slope, const gsl_vector *z,
                           gsl_vector *d);
/* mistake must not be NULL: its value before the call is sent along. */
int nng_ex2_perceptron_update(gsl_vector *w, double *w0, const gsl_vector *x,
                              double y, double lr, int *mistake);

#endif /* NNG_REMOTE_EX02_H */
