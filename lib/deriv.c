/* SPDX-License-Identifier: GPL-3.0-or-later */
/* deriv.c: numerical derivatives (see nn/deriv.h). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <gsl/gsl_deriv.h>
#include <gsl/gsl_errno.h>

#include <nn/deriv.h>

/* The checks every difference quotient shares. */
static int
check_step(const char *who, const void *f, double h, const double *result)
{
  char msg[128];
  if (f == NULL || result == NULL) {
    snprintf(msg, sizeof msg, "%s: the function and result must not be NULL", who);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  if (!(h > 0.0) || !isfinite(h)) {
    snprintf(msg, sizeof msg, "%s: the step h must be finite and positive, not %g",
             who, h);
    GSL_ERROR(msg, GSL_EDOM);
  }
  return GSL_SUCCESS;
}

int
nn_deriv_forward(const gsl_function *f, double x, double h, double *result)
{
  int status = check_step("nn_deriv_forward", f, h, result);
  if (status != GSL_SUCCESS)
    return status;
  *result = (GSL_FN_EVAL(f, x + h) - GSL_FN_EVAL(f, x)) / h;
  return GSL_SUCCESS;
}

int
nn_deriv_central(const gsl_function *f, double x, double h, double *result)
{
  int status = check_step("nn_deriv_central", f, h, result);
  if (status != GSL_SUCCESS)
    return status;
  *result = (GSL_FN_EVAL(f, x + h) - GSL_FN_EVAL(f, x - h)) / (2.0 * h);
  return GSL_SUCCESS;
}

int
nn_deriv_gsl_central(const gsl_function *f, double x, double h, double *result,
                     double *abserr)
{
  int status = check_step("nn_deriv_gsl_central", f, h, result);
  if (status != GSL_SUCCESS)
    return status;
  double err;
  status = gsl_deriv_central(f, x, h, result, &err);
  if (abserr != NULL)
    *abserr = err;
  return status;
}

int
nn_deriv_partial(nn_deriv_vector_fn *f, void *params, gsl_vector *x, size_t i,
                 double h, double *result)
{
  int status = check_step("nn_deriv_partial", (const void *) f, h, result);
  if (status != GSL_SUCCESS)
    return status;
  if (x == NULL)
    GSL_ERROR("nn_deriv_partial: x must not be NULL", GSL_EINVAL);
  if (i >= x->size) {
    char msg[128];
    snprintf(msg, sizeof msg,
             "nn_deriv_partial: component %zu asked of a vector of %zu entries",
             i, x->size);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  const double xi = gsl_vector_get(x, i);
  gsl_vector_set(x, i, xi + h);
  const double up = f(x, params);
  gsl_vector_set(x, i, xi - h);
  const double down = f(x, params);
  gsl_vector_set(x, i, xi);  /* restore exactly: the caller's x is unchanged */
  *result = (up - down) / (2.0 * h);
  return GSL_SUCCESS;
}
