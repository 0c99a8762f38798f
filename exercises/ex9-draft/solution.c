/* SPDX-License-Identifier: GPL-3.0-or-later */
/* solution.c: a reference solution to Exercise 9 (for the grader's fixtures;
 * not shipped to students). Plain loops over the entries, in torch.optim's
 * order of operations, so that a step here equals nn_optim_step()'s on the
 * same numbers. */
#include <stdio.h>

#include "exercise9.h"

/* GSL_EDOM, naming the parameter, unless lo <= x < hi (x <= hi when
 * closed_hi) and x is finite. */
static int
check_range(const char *who, const char *name, double x, double lo, double hi,
            int closed_hi)
{
  if (!isfinite(x) || x < lo || (closed_hi ? x > hi : x >= hi)) {
    char msg[160];
    snprintf(msg, sizeof msg, "%s: %s = %g is outside [%g, %g%c", who, name, x, lo, hi,
             closed_hi ? ']' : ')');
    GSL_ERROR(msg, GSL_EDOM);
  }
  return GSL_SUCCESS;
}

/* GSL_EDOM unless x is finite and above 0. */
static int
check_positive(const char *who, const char *name, double x)
{
  if (!(isfinite(x) && x > 0)) {
    char msg[160];
    snprintf(msg, sizeof msg, "%s: %s = %g must be a finite number above 0", who, name, x);
    GSL_ERROR(msg, GSL_EDOM);
  }
  return GSL_SUCCESS;
}

/* GSL_EBADLEN unless every vector has theta's size (>= 1). */
static int
check_sizes(const char *who, const gsl_vector *theta, const gsl_vector *a,
            const gsl_vector *b, const gsl_vector *g)
{
  if (theta == NULL || a == NULL || g == NULL || theta->size == 0)
    GSL_ERROR("missing or empty vector", GSL_EBADLEN);
  if (a->size != theta->size || g->size != theta->size
      || (b != NULL && b->size != theta->size)) {
    char msg[200];
    snprintf(msg, sizeof msg, "%s: theta has %zu entries but the state has %zu%s and g "
             "%zu", who, theta->size, a->size, b != NULL ? " (and the second)" : "",
             g->size);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  return GSL_SUCCESS;
}

int
ex9_momentum_step(gsl_vector *theta, gsl_vector *b, const gsl_vector *g, double lr,
                  double mu)
{
  const char *who = "ex9_momentum_step";
  int st;
  if ((st = check_sizes(who, theta, b, NULL, g)) || (st = check_positive(who, "lr", lr))
      || (st = check_range(who, "mu", mu, 0, 1, 0)))
    return st;
  for (size_t i = 0; i < theta->size; i++) {
    double bi = mu * gsl_vector_get(b, i) + gsl_vector_get(g, i);
    gsl_vector_set(b, i, bi);
    gsl_vector_set(theta, i, gsl_vector_get(theta, i) - lr * bi);
  }
  return GSL_SUCCESS;
}

int
ex9_rmsprop_step(gsl_vector *theta, gsl_vector *v, const gsl_vector *g, double lr,
                 double alpha, double eps)
{
  const char *who = "ex9_rmsprop_step";
  int st;
  if ((st = check_sizes(who, theta, v, NULL, g)) || (st = check_positive(who, "lr", lr))
      || (st = check_range(who, "alpha", alpha, 0, 1, 0))
      || (st = check_positive(who, "eps", eps)))
    return st;
  for (size_t i = 0; i < theta->size; i++) {
    double gi = gsl_vector_get(g, i);
    double vi = alpha * gsl_vector_get(v, i) + (1 - alpha) * gi * gi;
    gsl_vector_set(v, i, vi);
    gsl_vector_set(theta, i, gsl_vector_get(theta, i) - lr * gi / (sqrt(vi) + eps));
  }
  return GSL_SUCCESS;
}

int
ex9_adam_step(gsl_vector *theta, gsl_vector *m, gsl_vector *v, const gsl_vector *g,
              size_t t, double lr, double beta1, double beta2, double eps)
{
  const char *who = "ex9_adam_step";
  int st;
  if ((st = check_sizes(who, theta, m, v, g)) || (st = check_positive(who, "lr", lr))
      || (st = check_range(who, "beta1", beta1, 0, 1, 0))
      || (st = check_range(who, "beta2", beta2, 0, 1, 0))
      || (st = check_positive(who, "eps", eps)))
    return st;
  if (t == 0)
    GSL_ERROR("ex9_adam_step: t = 0: steps are numbered from 1", GSL_EDOM);
  const double c1 = 1 - pow(beta1, (double) t), c2 = 1 - pow(beta2, (double) t);
  for (size_t i = 0; i < theta->size; i++) {
    double gi = gsl_vector_get(g, i);
    double mi = beta1 * gsl_vector_get(m, i) + (1 - beta1) * gi;
    double vi = beta2 * gsl_vector_get(v, i) + (1 - beta2) * gi * gi;
    gsl_vector_set(m, i, mi);
    gsl_vector_set(v, i, vi);
    /* torch.optim.Adam: θ -= (lr / c1) · m / (√v / √c2 + ε) */
    double step = (lr / c1) * mi / (sqrt(vi) / sqrt(c2) + eps);
    gsl_vector_set(theta, i, gsl_vector_get(theta, i) - step);
  }
  return GSL_SUCCESS;
}

int
ex9_clip_grad_norm(gsl_vector *g, double max_norm, double *norm)
{
  int st;
  if (g == NULL || g->size == 0)
    GSL_ERROR("ex9_clip_grad_norm: g is missing or empty", GSL_EBADLEN);
  if ((st = check_positive("ex9_clip_grad_norm", "max_norm", max_norm)))
    return st;
  double sum = 0;
  for (size_t i = 0; i < g->size; i++)
    sum += gsl_vector_get(g, i) * gsl_vector_get(g, i);
  const double n = sqrt(sum);
  if (n > max_norm)
    for (size_t i = 0; i < g->size; i++)
      gsl_vector_set(g, i, gsl_vector_get(g, i) * (max_norm / (n + 1e-6)));
  if (norm != NULL)
    *norm = n;
  return GSL_SUCCESS;
}
