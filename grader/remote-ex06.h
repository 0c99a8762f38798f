/* SPDX-License-Identifier: GPL-3.0-or-later */
/* remote-ex06.h: exercise 6's functions, called in the probe (see testkit.h).
 *
 * The same contracts as exercise6.h; each returns the student's status, or
 * NNG_PROBE_FAILED when the probe did not answer. Outputs are sent along with
 * their value before the call and read back after it, so a test can check
 * that an error left them untouched.
 */
#ifndef NNG_REMOTE_EX06_H
#define NNG_REMOTE_EX06_H

#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "calls-ex06.h"

int nng_ex6_peaks(const gsl_vector *p, double *z);
int nng_ex6_peaks_gradient(const gsl_vector *p, gsl_vector *grad);
int nng_ex6_step(gsl_vector *p, const gsl_vector *grad, double lr, int ascent);
int nng_ex6_descend(const gsl_vector *p0, double lr, int ascent, gsl_matrix *path,
                    gsl_vector *z);

#endif /* NNG_REMOTE_EX06_H */
