/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nn/gradcheck.h: checking a gradient against central differences.
 *
 * A backward pass is easy to get subtly wrong and hard to test by eye. The
 * check: for a scalar function J(θ) of a parameter vector θ (typically the
 * cost of a batch as a function of a network's params), compare the analytic
 * gradient a = ∂J/∂θ that the backward pass computed with the numerical one,
 * entry by entry,
 *
 *   n_i = (J(θ + h e_i) - J(θ - h e_i)) / (2h),
 *
 * whose error is about (h²/6) J''' plus round-off ε|J|/h (see nn/deriv.h);
 * h = NN_GRADCHECK_STEP = 1e-5 balances the two in double precision.
 *
 * Relative error. We report one number, the largest difference relative to
 * the largest gradient (a norm-wise relative error, in the max norm):
 *
 *   error = max_i |a_i - n_i| / max(1e-8, max_i (|a_i| + |n_i|)).
 *
 * Why not max_i of |a_i - n_i| / (|a_i| + |n_i|), entry by entry? Because an
 * entry whose true gradient is 0 or tiny (a dead ReLU, a weight that barely
 * matters) turns round-off noise of 1e-11 into a "relative error" near 1,
 * and the check would fail a correct gradient. Scaled by the largest
 * gradient, round-off stays small and a real mistake in any entry still
 * shows: a wrong entry as large as the largest gradient gives an error of
 * order 1 (a sign flipped gives exactly 1), a factor 2 gives 1/3. In double precision a correct gradient gives 1e-9 or
 * less; 1e-7 is a safe threshold, 1e-6 the course's.
 *
 * A check that compares zeros with zeros proves nothing, and an unwritten
 * backward pass leaves the gradient at zero. So the check refuses an analytic
 * gradient that is all zeros: it returns GSL_EFAILED and sets the error to 1,
 * so that even a caller who ignores the status sees a failed check.
 *
 * The function is the one of nn/deriv.h: double J(const gsl_vector *θ,
 * void *params). θ is changed in place, one entry at a time, and restored bit
 * for bit before the call returns: pass a network's own params vector and
 * let J run the forward pass. J must not change the analytic gradient (do
 * not run a backward pass inside it).
 *
 * Errors: GSL_EDOM for a step h that is not finite and positive, GSL_EBADLEN
 * for vectors of different lengths or an empty θ, GSL_EINVAL for NULL,
 * GSL_EFAILED for an all-zero analytic gradient.
 */
#ifndef NN_GRADCHECK_H
#define NN_GRADCHECK_H

#include <stddef.h>
#include <gsl/gsl_vector.h>

#include <nn/deriv.h>

/* The usual step of the central differences. */
#define NN_GRADCHECK_STEP 1e-5

/* numerical_i = (J(θ + h e_i) - J(θ - h e_i)) / (2h) for every entry of θ:
 * the numerical gradient, e.g. to plot next to the analytic one. numerical
 * has as many entries as theta. */
int nn_gradcheck_numerical(gsl_vector *numerical, nn_deriv_vector_fn *J,
                           void *params, gsl_vector *theta, double h);

/* *error = max_i |a_i - n_i| / max(1e-8, max_i (|a_i| + |n_i|)) for the
 * analytic gradient a and the numerical n; *worst (when not NULL) = the i
 * where |a_i - n_i| is largest. Refuses an all-zero a (GSL_EFAILED, error 1). */
int nn_gradcheck_relative_error(double *error, size_t *worst,
                                const gsl_vector *analytic,
                                const gsl_vector *numerical);

/* The whole check in one call, with no vector to allocate: *error as above,
 * between the analytic gradient and central differences of J at θ with step
 * h. Refuses an all-zero analytic gradient (GSL_EFAILED, error 1). */
int nn_gradcheck_compare(double *error, nn_deriv_vector_fn *J, void *params,
                         gsl_vector *theta, const gsl_vector *analytic, double h);

#endif /* NN_GRADCHECK_H */
