/* SPDX-License-Identifier: GPL-3.0-or-later */
/* remote-ex05.h: exercise 5's functions, called in the probe (see testkit.h).
 *
 * The same contracts as exercise5.h; each returns the student's status, or
 * NNG_PROBE_FAILED when the probe did not answer. Outputs are sent along with
 * their value before the call and read back after it, so a test can check
 * that an error left them untouched. The options and the schedules are
 * repeated here (nngrade does not include the student's header); the
 * schedule is an int, so that a test can send one that is not an
 * ex5_schedule. A descent names its function by kind (calls-ex05.h).
 */
#ifndef NNG_REMOTE_EX05_H
#define NNG_REMOTE_EX05_H

#include <stddef.h>
#include <gsl/gsl_vector.h>

#include "calls-ex05.h"

/* The values of ex5_schedule. */
enum {
  NNG_EX5_FIXED = 0,
  NNG_EX5_LINEAR_DECAY,
  NNG_EX5_INVERSE_DECAY,
  NNG_EX5_SLOPE_SCALED,
  NNG_EX5_LOSS_SCALED,
  NNG_EX5_N_SCHEDULES
};

/* ex5_options, field for field. */
typedef struct nng_ex5_options {
  double lr;
  size_t epochs;
  int schedule;
  double decay;
} nng_ex5_options;

int nng_ex5_step(double *x, double dfdx, double lr);
int nng_ex5_rate(const nng_ex5_options *opt, size_t epoch, double fx, double dfdx,
                 double *rate);
/* params: the coefficients of NNG_EX5_FN_POLY; NULL for the other kinds. */
int nng_ex5_descend(int kind, const gsl_vector *params, double x0,
                    const nng_ex5_options *opt, gsl_vector *xs, gsl_vector *fs,
                    gsl_vector *dfs);

#endif /* NNG_REMOTE_EX05_H */
