/* SPDX-License-Identifier: GPL-3.0-or-later */
/* perceptron.c: the perceptron and its learning rule (see nn/perceptron.h). */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>

#include <nn/perceptron.h>

nn_perceptron *
nn_perceptron_alloc(size_t d)
{
  if (d == 0)
    GSL_ERROR_NULL("nn_perceptron_alloc: a perceptron needs at least 1 input, not 0",
                   GSL_EBADLEN);
  nn_perceptron *p = calloc(1, sizeof *p);
  if (p == NULL)
    GSL_ERROR_NULL("nn_perceptron_alloc: out of memory", GSL_ENOMEM);
  p->w = gsl_vector_calloc(d);
  if (p->w == NULL) {
    free(p);
    GSL_ERROR_NULL("nn_perceptron_alloc: out of memory", GSL_ENOMEM);
  }
  p->w0 = 0.0;
  return p;
}

void
nn_perceptron_free(nn_perceptron *p)
{
  if (p == NULL)
    return;
  if (p->w != NULL)
    gsl_vector_free(p->w);
  free(p);
}

int
nn_perceptron_randomize(nn_perceptron *p, gsl_rng *r, double sd)
{
  if (p == NULL || p->w == NULL || r == NULL)
    GSL_ERROR("nn_perceptron_randomize: the perceptron and the generator must not"
              " be NULL", GSL_EINVAL);
  if (!(sd >= 0.0) || !isfinite(sd)) {
    char msg[128];
    snprintf(msg, sizeof msg, "nn_perceptron_randomize: the standard deviation must"
             " be finite and non-negative, not %g", sd);
    GSL_ERROR(msg, GSL_EDOM);
  }
  p->w0 = gsl_ran_gaussian(r, sd);
  for (size_t j = 0; j < p->w->size; j++)
    gsl_vector_set(p->w, j, gsl_ran_gaussian(r, sd));
  return GSL_SUCCESS;
}

/* ===== Prediction ===== */

static int
check_input(const char *who, const nn_perceptron *p, const gsl_vector *x)
{
  char msg[160];
  if (p == NULL || p->w == NULL || x == NULL) {
    snprintf(msg, sizeof msg, "%s: the perceptron and x must not be NULL", who);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  if (x->size != p->w->size) {
    snprintf(msg, sizeof msg, "%s: the perceptron has %zu weights but x has %zu"
             " entries", who, p->w->size, x->size);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  return GSL_SUCCESS;
}

/* w0 + wᵀx for sizes already checked. */
static double
weighted_sum(const nn_perceptron *p, const gsl_vector *x)
{
  double wx;
  gsl_blas_ddot(p->w, x, &wx);
  return p->w0 + wx;
}

/* step(z): the perceptron's all-or-nothing answer. */
static double
step(double z)
{
  return z >= 0.0 ? 1.0 : 0.0;
}

int
nn_perceptron_sum(const nn_perceptron *p, const gsl_vector *x, double *z)
{
  int status = check_input("nn_perceptron_sum", p, x);
  if (status != GSL_SUCCESS)
    return status;
  if (z == NULL)
    GSL_ERROR("nn_perceptron_sum: z must not be NULL", GSL_EINVAL);
  *z = weighted_sum(p, x);
  return GSL_SUCCESS;
}

int
nn_perceptron_predict(const nn_perceptron *p, const gsl_vector *x, double *yhat)
{
  int status = check_input("nn_perceptron_predict", p, x);
  if (status != GSL_SUCCESS)
    return status;
  if (yhat == NULL)
    GSL_ERROR("nn_perceptron_predict: yhat must not be NULL", GSL_EINVAL);
  *yhat = step(weighted_sum(p, x));
  return GSL_SUCCESS;
}

/* ===== Learning =====
 *
 * A wrong answer moves the weighted sum of that sample towards the right
 * side: after w += η(y - ŷ)x, w0 += η(y - ŷ), the sum changes by
 * η(y - ŷ)(1 + ‖x‖²), with the sign of y - ŷ.
 */

static int
check_lr(const char *who, double lr)
{
  if (!(lr > 0.0) || !isfinite(lr)) {
    char msg[128];
    snprintf(msg, sizeof msg, "%s: the learning rate must be finite and positive,"
             " not %g", who, lr);
    GSL_ERROR(msg, GSL_EDOM);
  }
  return GSL_SUCCESS;
}

static int
check_label(const char *who, double y, size_t row, int has_row)
{
  if (y != 0.0 && y != 1.0) {
    char msg[128];
    if (has_row)
      snprintf(msg, sizeof msg, "%s: the label of row %zu is %g, not 0 or 1", who,
               row, y);
    else
      snprintf(msg, sizeof msg, "%s: the label is %g, not 0 or 1", who, y);
    GSL_ERROR(msg, GSL_EDOM);
  }
  return GSL_SUCCESS;
}

/* The rule itself, for arguments already checked. Returns 1 on a mistake. */
static int
learn(nn_perceptron *p, const gsl_vector *x, double y, double lr)
{
  const double error = y - step(weighted_sum(p, x));  /* 0, +1 or -1 */
  if (error == 0.0)
    return 0;
  gsl_blas_daxpy(lr * error, x, p->w);  /* w += η (y - ŷ) x */
  p->w0 += lr * error;                  /* the bias sees a constant input 1 */
  return 1;
}

int
nn_perceptron_update(nn_perceptron *p, const gsl_vector *x, double y, double lr,
                     int *mistake)
{
  const char *who = "nn_perceptron_update";
  int status = check_input(who, p, x);
  if (status == GSL_SUCCESS)
    status = check_lr(who, lr);
  if (status == GSL_SUCCESS)
    status = check_label(who, y, 0, 0);
  if (status != GSL_SUCCESS)
    return status;
  int m = learn(p, x, y, lr);
  if (mistake != NULL)
    *mistake = m;
  return GSL_SUCCESS;
}

/* The checks a pass over a data set needs, labels included, before any
 * weight moves: a bad label in the last row must not leave a half-trained
 * perceptron behind. */
static int
check_set(const char *who, const nn_perceptron *p, const gsl_matrix *X,
          const gsl_vector *y, const void *result)
{
  char msg[160];
  if (p == NULL || p->w == NULL || X == NULL || y == NULL || result == NULL) {
    snprintf(msg, sizeof msg, "%s: the perceptron, X, y and the result must not be"
             " NULL", who);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  if (X->size2 != p->w->size) {
    snprintf(msg, sizeof msg, "%s: the perceptron has %zu weights but X is %zux%zu",
             who, p->w->size, X->size1, X->size2);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (y->size != X->size1) {
    snprintf(msg, sizeof msg, "%s: X has %zu rows but y has %zu entries", who,
             X->size1, y->size);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  for (size_t i = 0; i < y->size; i++) {
    int status = check_label(who, gsl_vector_get(y, i), i, 1);
    if (status != GSL_SUCCESS)
      return status;
  }
  return GSL_SUCCESS;
}

int
nn_perceptron_epoch(nn_perceptron *p, const gsl_matrix *X, const gsl_vector *y,
                    double lr, size_t *mistakes)
{
  const char *who = "nn_perceptron_epoch";
  int status = check_set(who, p, X, y, mistakes);
  if (status == GSL_SUCCESS)
    status = check_lr(who, lr);
  if (status != GSL_SUCCESS)
    return status;
  size_t count = 0;
  for (size_t i = 0; i < X->size1; i++) {
    gsl_vector_const_view x = gsl_matrix_const_row(X, i);
    count += learn(p, &x.vector, gsl_vector_get(y, i), lr);
  }
  *mistakes = count;
  return GSL_SUCCESS;
}

int
nn_perceptron_errors(const nn_perceptron *p, const gsl_matrix *X, const gsl_vector *y,
                     size_t *errors)
{
  int status = check_set("nn_perceptron_errors", p, X, y, errors);
  if (status != GSL_SUCCESS)
    return status;
  size_t count = 0;
  for (size_t i = 0; i < X->size1; i++) {
    gsl_vector_const_view x = gsl_matrix_const_row(X, i);
    count += step(weighted_sum(p, &x.vector)) != gsl_vector_get(y, i);
  }
  *errors = count;
  return GSL_SUCCESS;
}
