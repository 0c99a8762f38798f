/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gradcheck.c: checking a gradient against central differences (see nn/gradcheck.h). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <gsl/gsl_errno.h>

#include <nn/gradcheck.h>

/* The floor under the scale of the relative error: below it, gradients count
 * as zero and the difference is judged as it is. */
static const double scale_floor = 1e-8;

/* ===== Checks ===== */

static int
check_problem(const char *who, const void *J, const gsl_vector *theta,
              const char *other_name, const gsl_vector *other, double h)
{
  char msg[160];
  if (J == NULL || theta == NULL || other == NULL) {
    snprintf(msg, sizeof msg, "%s: J, theta and %s must not be NULL", who, other_name);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  if (!(h > 0.0) || !isfinite(h)) {
    snprintf(msg, sizeof msg, "%s: the step h must be finite and positive, not %g",
             who, h);
    GSL_ERROR(msg, GSL_EDOM);
  }
  if (theta->size == 0) {
    snprintf(msg, sizeof msg, "%s: theta is empty: there is nothing to check", who);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (other->size != theta->size) {
    snprintf(msg, sizeof msg, "%s: theta has %zu entries but %s has %zu", who,
             theta->size, other_name, other->size);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  return GSL_SUCCESS;
}

/* An all-zero analytic gradient proves nothing: refuse it, and make the
 * error the worst there is for callers who do not read the status. */
static int
refuse_zero_gradient(const char *who, const gsl_vector *analytic, double *error)
{
  for (size_t i = 0; i < analytic->size; i++)
    if (gsl_vector_get(analytic, i) != 0.0)
      return GSL_SUCCESS;
  *error = 1.0;
  char msg[192];
  snprintf(msg, sizeof msg, "%s: the analytic gradient is all zeros (%zu entries), so"
           " nothing can be checked: is the backward pass written?", who,
           analytic->size);
  GSL_ERROR(msg, GSL_EFAILED);
}

/* ===== The numerical gradient ===== */

int
nn_gradcheck_numerical(gsl_vector *numerical, nn_deriv_vector_fn *J, void *params,
                       gsl_vector *theta, double h)
{
  int status = check_problem("nn_gradcheck_numerical", (const void *) J, theta,
                             "numerical", numerical, h);
  if (status != GSL_SUCCESS)
    return status;
  for (size_t i = 0; i < theta->size; i++) {
    double n_i;
    // θ_i moves to θ_i ± h and back, bit for bit
    status = nn_deriv_partial(J, params, theta, i, h, &n_i);
    if (status != GSL_SUCCESS)
      return status;
    gsl_vector_set(numerical, i, n_i);
  }
  return GSL_SUCCESS;
}

/* ===== The relative error ===== */

int
nn_gradcheck_relative_error(double *error, size_t *worst, const gsl_vector *analytic,
                            const gsl_vector *numerical)
{
  static const char who[] = "nn_gradcheck_relative_error";
  if (error == NULL || analytic == NULL || numerical == NULL)
    GSL_ERROR("nn_gradcheck_relative_error: error, analytic and numerical must not be"
              " NULL", GSL_EINVAL);
  char msg[160];
  if (analytic->size == 0)
    GSL_ERROR("nn_gradcheck_relative_error: the gradients are empty: there is nothing"
              " to check", GSL_EBADLEN);
  if (analytic->size != numerical->size) {
    snprintf(msg, sizeof msg, "%s: analytic has %zu entries but numerical has %zu", who,
             analytic->size, numerical->size);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  int status = refuse_zero_gradient(who, analytic, error);
  if (status != GSL_SUCCESS)
    return status;
  double max_diff = 0.0, max_scale = 0.0;
  size_t at = 0;
  for (size_t i = 0; i < analytic->size; i++) {
    const double a = gsl_vector_get(analytic, i), n = gsl_vector_get(numerical, i);
    const double diff = fabs(a - n);
    if (diff > max_diff || isnan(diff)) {  // a NaN anywhere is the worst entry
      max_diff = diff;
      at = i;
    }
    max_scale = fmax(max_scale, fabs(a) + fabs(n));
  }
  *error = max_diff / fmax(scale_floor, max_scale);
  if (worst != NULL)
    *worst = at;
  return GSL_SUCCESS;
}

/* ===== The whole check =====
 *
 * The same as nn_gradcheck_numerical() then nn_gradcheck_relative_error(),
 * but each n_i is compared as soon as it is known, so no vector is needed.
 */

int
nn_gradcheck_compare(double *error, nn_deriv_vector_fn *J, void *params,
                     gsl_vector *theta, const gsl_vector *analytic, double h)
{
  static const char who[] = "nn_gradcheck_compare";
  if (error == NULL)
    GSL_ERROR("nn_gradcheck_compare: error must not be NULL", GSL_EINVAL);
  int status = check_problem(who, (const void *) J, theta, "analytic", analytic, h);
  if (status == GSL_SUCCESS)
    status = refuse_zero_gradient(who, analytic, error);
  if (status != GSL_SUCCESS)
    return status;
  double max_diff = 0.0, max_scale = 0.0;
  for (size_t i = 0; i < theta->size; i++) {
    double n;
    status = nn_deriv_partial(J, params, theta, i, h, &n);
    if (status != GSL_SUCCESS)
      return status;
    const double a = gsl_vector_get(analytic, i);
    const double diff = fabs(a - n);
    if (diff > max_diff || isnan(diff))
      max_diff = diff;
    max_scale = fmax(max_scale, fabs(a) + fabs(n));
  }
  *error = max_diff / fmax(scale_floor, max_scale);
  return GSL_SUCCESS;
}
