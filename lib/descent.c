/* SPDX-License-Identifier: GPL-3.0-or-later */
/* descent.c: gradient descent on scalar functions (see nn/descent.h).
 *
 * A run is the loop of the lecture, written out:
 *
 *   x = x0; measure f(x) and the slope g
 *   for t = 0 .. T-1:
 *     η_t = the schedule's rate at step t
 *     x  = x - η_t g        (ascent: x + η_t g)
 *     measure f(x) and g again; stop if any of them is not finite
 *
 * and every measurement is written into the next row of the path, so the
 * path is the whole story of the run. In 2D the point and its gradient live
 * in the rows of path->x and path->grad themselves (row views), so a run
 * never allocates.
 */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>

#include <nn/descent.h>

/* ===== Paths ===== */

nn_descent_path *
nn_descent_path_alloc(size_t n, size_t epochs)
{
  if (n == 0 || epochs == 0) {
    char msg[160];
    snprintf(msg, sizeof msg, "nn_descent_path_alloc: a path needs n >= 1 and"
             " epochs >= 1, not n = %zu and epochs = %zu", n, epochs);
    GSL_ERROR_NULL(msg, GSL_EBADLEN);
  }
  nn_descent_path *p = calloc(1, sizeof *p);
  if (p == NULL)
    GSL_ERROR_NULL("nn_descent_path_alloc: out of memory", GSL_ENOMEM);
  p->n = n;
  p->epochs = epochs;
  p->x = gsl_matrix_alloc(epochs + 1, n);
  p->f = gsl_vector_alloc(epochs + 1);
  p->grad = gsl_matrix_alloc(epochs + 1, n);
  p->lr = gsl_vector_alloc(epochs);
  if (p->x == NULL || p->f == NULL || p->grad == NULL || p->lr == NULL) {
    nn_descent_path_free(p);  /* frees the parts that were built */
    GSL_ERROR_NULL("nn_descent_path_alloc: out of memory", GSL_ENOMEM);
  }
  gsl_matrix_set_all(p->x, NAN);
  gsl_vector_set_all(p->f, NAN);
  gsl_matrix_set_all(p->grad, NAN);
  gsl_vector_set_all(p->lr, NAN);
  return p;
}

void
nn_descent_path_free(nn_descent_path *path)
{
  if (path == NULL)
    return;
  if (path->x != NULL)
    gsl_matrix_free(path->x);
  if (path->f != NULL)
    gsl_vector_free(path->f);
  if (path->grad != NULL)
    gsl_matrix_free(path->grad);
  if (path->lr != NULL)
    gsl_vector_free(path->lr);
  free(path);
}

/* ===== Learning rates =====
 *
 * The schedules of the code challenge "fixed vs dynamic learning rate".
 * Decay shrinks the steps as time goes on, whatever the landscape; the
 * scaled schedules look at the landscape instead: the slope (which is 0 at
 * every minimum, so the steps shrink as x arrives) or the loss (which only
 * shrinks the steps near a minimum whose value is near 0).
 */

static int
check_options(const char *who, const nn_descent_options *opt)
{
  char msg[200];
  if (opt == NULL) {
    snprintf(msg, sizeof msg, "%s: the options must not be NULL", who);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  if (!(opt->lr > 0.0) || !isfinite(opt->lr)) {
    snprintf(msg, sizeof msg, "%s: the learning rate must be finite and positive,"
             " not %g", who, opt->lr);
    GSL_ERROR(msg, GSL_EDOM);
  }
  if (opt->epochs == 0) {
    snprintf(msg, sizeof msg, "%s: a run needs at least 1 epoch, not 0", who);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  switch (opt->schedule) {
  case NN_DESCENT_FIXED:
  case NN_DESCENT_LINEAR_DECAY:
  case NN_DESCENT_GRAD_SCALED:
  case NN_DESCENT_LOSS_SCALED:
    break;
  case NN_DESCENT_INVERSE_DECAY:
    if (!(opt->decay >= 0.0) || !isfinite(opt->decay)) {
      snprintf(msg, sizeof msg, "%s: the decay k of lr/(1 + k·epoch) must be finite"
               " and non-negative, not %g", who, opt->decay);
      GSL_ERROR(msg, GSL_EDOM);
    }
    break;
  default:
    snprintf(msg, sizeof msg, "%s: unknown learning-rate schedule %d", who,
             (int) opt->schedule);
    GSL_ERROR(msg, GSL_EDOM);
  }
  return GSL_SUCCESS;
}

/* η_t for options already checked. */
static double
rate(const nn_descent_options *opt, size_t epoch, double fx, double slope)
{
  switch (opt->schedule) {
  case NN_DESCENT_LINEAR_DECAY:
    return opt->lr * (1.0 - (double) epoch / (double) opt->epochs);
  case NN_DESCENT_INVERSE_DECAY:
    return opt->lr / (1.0 + opt->decay * (double) epoch);
  case NN_DESCENT_GRAD_SCALED:
    return opt->lr * fabs(slope);
  case NN_DESCENT_LOSS_SCALED:
    return opt->lr * fabs(fx);
  case NN_DESCENT_FIXED:
  default:
    return opt->lr;
  }
}

int
nn_descent_rate(const nn_descent_options *opt, size_t epoch, double fx,
                double slope, double *lr)
{
  int status = check_options("nn_descent_rate", opt);
  if (status != GSL_SUCCESS)
    return status;
  if (lr == NULL)
    GSL_ERROR("nn_descent_rate: lr must not be NULL", GSL_EINVAL);
  if (epoch >= opt->epochs) {
    char msg[160];
    snprintf(msg, sizeof msg, "nn_descent_rate: epoch %zu is past the last one of"
             " a run of %zu epochs (epochs count from 0)", epoch, opt->epochs);
    GSL_ERROR(msg, GSL_EDOM);
  }
  *lr = rate(opt, epoch, fx, slope);
  return GSL_SUCCESS;
}

/* ===== Steps ===== */

static int
check_step_rate(const char *who, double lr)
{
  if (!(lr >= 0.0) || !isfinite(lr)) {
    char msg[160];
    snprintf(msg, sizeof msg, "%s: the step's learning rate must be finite and"
             " non-negative, not %g", who, lr);
    GSL_ERROR(msg, GSL_EDOM);
  }
  return GSL_SUCCESS;
}

int
nn_descent_step_1d(double *x, double dfdx, double lr, int ascent)
{
  if (x == NULL)
    GSL_ERROR("nn_descent_step_1d: x must not be NULL", GSL_EINVAL);
  int status = check_step_rate("nn_descent_step_1d", lr);
  if (status != GSL_SUCCESS)
    return status;
  /* Against the slope to go down, along it to go up. */
  *x += ascent ? lr * dfdx : -lr * dfdx;
  return GSL_SUCCESS;
}

int
nn_descent_step_2d(gsl_vector *x, const gsl_vector *grad, double lr, int ascent)
{
  if (x == NULL || grad == NULL)
    GSL_ERROR("nn_descent_step_2d: x and grad must not be NULL", GSL_EINVAL);
  if (x->size != grad->size) {
    char msg[160];
    snprintf(msg, sizeof msg, "nn_descent_step_2d: x has %zu entries but grad has"
             " %zu", x->size, grad->size);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  int status = check_step_rate("nn_descent_step_2d", lr);
  if (status != GSL_SUCCESS)
    return status;
  /* Every coordinate moves at once, each by its own partial derivative. */
  for (size_t i = 0; i < x->size; i++) {
    double step = lr * gsl_vector_get(grad, i);
    gsl_vector_set(x, i, gsl_vector_get(x, i) + (ascent ? step : -step));
  }
  return GSL_SUCCESS;
}

/* ===== Runs ===== */

/* The checks both runs share, and the path made ready: nothing reached yet. */
static int
start_run(const char *who, const nn_descent_options *opt, nn_descent_path *path,
          size_t n)
{
  char msg[200];
  int status = check_options(who, opt);
  if (status != GSL_SUCCESS)
    return status;
  if (path == NULL) {
    snprintf(msg, sizeof msg, "%s: the path must not be NULL", who);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  if (path->n != n) {
    snprintf(msg, sizeof msg, "%s: the path holds points of %zu coordinates but"
             " the function takes %zu", who, path->n, n);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  if (path->epochs < opt->epochs) {
    snprintf(msg, sizeof msg, "%s: the path holds %zu epochs but the run asks for"
             " %zu", who, path->epochs, opt->epochs);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  path->steps = 0;
  path->diverged = 0;
  gsl_matrix_set_all(path->x, NAN);
  gsl_vector_set_all(path->f, NAN);
  gsl_matrix_set_all(path->grad, NAN);
  gsl_vector_set_all(path->lr, NAN);
  return GSL_SUCCESS;
}

static int
all_finite(const gsl_vector *v)
{
  for (size_t i = 0; i < v->size; i++)
    if (!isfinite(gsl_vector_get(v, i)))
      return 0;
  return 1;
}

int
nn_descent_run_1d(const gsl_function_fdf *fn, double x0,
                  const nn_descent_options *opt, nn_descent_path *path)
{
  const char *who = "nn_descent_run_1d";
  char msg[256];
  if (fn == NULL || fn->f == NULL || fn->df == NULL)
    GSL_ERROR("nn_descent_run_1d: the function and its f and df callbacks must"
              " not be NULL", GSL_EINVAL);
  int status = start_run(who, opt, path, 1);
  if (status != GSL_SUCCESS)
    return status;

  double x = x0, fx = GSL_FN_FDF_EVAL_F(fn, x), d = GSL_FN_FDF_EVAL_DF(fn, x);
  if (!isfinite(x) || !isfinite(fx) || !isfinite(d)) {
    snprintf(msg, sizeof msg, "%s: cannot start at x0 = %g: f(x0) = %g and"
             " f'(x0) = %g are not both finite", who, x0, fx, d);
    GSL_ERROR(msg, GSL_EDOM);
  }
  gsl_matrix_set(path->x, 0, 0, x);
  gsl_vector_set(path->f, 0, fx);
  gsl_matrix_set(path->grad, 0, 0, d);

  for (size_t t = 0; t < opt->epochs; t++) {
    const double eta = rate(opt, t, fx, d);
    nn_descent_step_1d(&x, d, eta, opt->ascent);  /* eta >= 0 and finite here */
    fx = GSL_FN_FDF_EVAL_F(fn, x);
    d = GSL_FN_FDF_EVAL_DF(fn, x);
    if (!isfinite(x) || !isfinite(fx) || !isfinite(d)) {
      /* Keep what was finite; the rows from t+1 on stay NaN. */
      path->diverged = 1;
      snprintf(msg, sizeof msg, "%s: diverged at step %zu of %zu: x = %g, f(x) = %g,"
               " f'(x) = %g (learning rate %g; try a smaller one)", who, t + 1,
               opt->epochs, x, fx, d, eta);
      GSL_ERROR(msg, GSL_EOVRFLW);
    }
    gsl_vector_set(path->lr, t, eta);
    gsl_matrix_set(path->x, t + 1, 0, x);
    gsl_vector_set(path->f, t + 1, fx);
    gsl_matrix_set(path->grad, t + 1, 0, d);
    path->steps = t + 1;
  }
  return GSL_SUCCESS;
}

int
nn_descent_run_2d(const gsl_multimin_function_fdf *fn, const gsl_vector *x0,
                  const nn_descent_options *opt, nn_descent_path *path)
{
  const char *who = "nn_descent_run_2d";
  char msg[256];
  if (fn == NULL || fn->f == NULL || fn->df == NULL || x0 == NULL)
    GSL_ERROR("nn_descent_run_2d: the function, its f and df callbacks and x0"
              " must not be NULL", GSL_EINVAL);
  if (fn->n == 0 || x0->size != fn->n) {
    snprintf(msg, sizeof msg, "%s: x0 has %zu entries but the function takes %zu"
             " (at least 1)", who, x0->size, fn->n);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  int status = start_run(who, opt, path, fn->n);
  if (status != GSL_SUCCESS)
    return status;

  /* Row t of path->x is x_t and row t of path->grad is ∇f(x_t). */
  gsl_vector_view x = gsl_matrix_row(path->x, 0);
  gsl_vector_view g = gsl_matrix_row(path->grad, 0);
  gsl_vector_memcpy(&x.vector, x0);
  double fx = GSL_MULTIMIN_FN_EVAL_F(fn, &x.vector);
  GSL_MULTIMIN_FN_EVAL_DF(fn, &x.vector, &g.vector);
  if (!all_finite(&x.vector) || !isfinite(fx) || !all_finite(&g.vector)) {
    snprintf(msg, sizeof msg, "%s: cannot start at x0 = (%g, ...): f(x0) = %g or"
             " its gradient is not finite", who, gsl_vector_get(x0, 0), fx);
    gsl_matrix_set_all(path->x, NAN);
    gsl_matrix_set_all(path->grad, NAN);
    GSL_ERROR(msg, GSL_EDOM);
  }
  gsl_vector_set(path->f, 0, fx);

  for (size_t t = 0; t < opt->epochs; t++) {
    const double eta = rate(opt, t, fx, gsl_blas_dnrm2(&g.vector));
    gsl_vector_view next = gsl_matrix_row(path->x, t + 1);
    gsl_vector_view gnext = gsl_matrix_row(path->grad, t + 1);
    gsl_vector_memcpy(&next.vector, &x.vector);
    nn_descent_step_2d(&next.vector, &g.vector, eta, opt->ascent);
    fx = GSL_MULTIMIN_FN_EVAL_F(fn, &next.vector);
    GSL_MULTIMIN_FN_EVAL_DF(fn, &next.vector, &gnext.vector);
    if (!all_finite(&next.vector) || !isfinite(fx) || !all_finite(&gnext.vector)) {
      path->diverged = 1;
      snprintf(msg, sizeof msg, "%s: diverged at step %zu of %zu: f(x) = %g, x or"
               " the gradient not finite (learning rate %g; try a smaller one)",
               who, t + 1, opt->epochs, fx, eta);
      gsl_vector_set_all(&next.vector, NAN);  /* keep the rule: not reached = NaN */
      gsl_vector_set_all(&gnext.vector, NAN);
      GSL_ERROR(msg, GSL_EOVRFLW);
    }
    gsl_vector_set(path->lr, t, eta);
    gsl_vector_set(path->f, t + 1, fx);
    path->steps = t + 1;
    x = next;
    g = gnext;
  }
  return GSL_SUCCESS;
}

/* ===== The course's functions ===== */

double
nn_descent_quadratic(double x, void *params)
{
  (void) params;
  return 3.0 * x * x - 3.0 * x + 4.0;
}

double
nn_descent_quadratic_deriv(double x, void *params)
{
  (void) params;
  return 6.0 * x - 3.0;
}

void
nn_descent_quadratic_fdf(double x, void *params, double *f, double *df)
{
  *f = nn_descent_quadratic(x, params);
  *df = nn_descent_quadratic_deriv(x, params);
}

double
nn_descent_wavy(double x, void *params)
{
  (void) params;
  return cos(2.0 * M_PI * x) + x * x;
}

/* d/dx cos(2πx) = -2π sin(2πx), by the chain rule; sin(0) = 0 exactly, so a
 * run started at 0 measures a slope of exactly 0 and never moves. */
double
nn_descent_wavy_deriv(double x, void *params)
{
  (void) params;
  return -2.0 * M_PI * sin(2.0 * M_PI * x) + 2.0 * x;
}

void
nn_descent_wavy_fdf(double x, void *params, double *f, double *df)
{
  *f = nn_descent_wavy(x, params);
  *df = nn_descent_wavy_deriv(x, params);
}

/* peaks is a sum of three Gaussian bumps, z = A + B + C:
 *
 *   A = 3(1-x)² a,             a = e^(-x²-(y+1)²)
 *   B = -10(x/5 - x³ - y⁵) b,  b = e^(-x²-y²)
 *   C = -(1/3) c,              c = e^(-(x+1)²-y²)
 *
 * Each partial derivative is the product rule on one term:
 *
 *   ∂A/∂x = a (-6(1-x) - 6x(1-x)²)       ∂A/∂y = a (-6(1-x)² (y+1))
 *   ∂B/∂x = -10 b ((1/5 - 3x²) - 2x u)   ∂B/∂y = -10 b (-5y⁴ - 2y u),  u = x/5 - x³ - y⁵
 *   ∂C/∂x = (2/3)(x+1) c                 ∂C/∂y = (2/3) y c
 */
static void
peaks_parts(double x, double y, double *z, double *dzdx, double *dzdy)
{
  const double a = exp(-x * x - (y + 1.0) * (y + 1.0));
  const double b = exp(-x * x - y * y);
  const double c = exp(-(x + 1.0) * (x + 1.0) - y * y);
  const double y4 = y * y * y * y;
  const double u = x / 5.0 - x * x * x - y4 * y;
  const double one_x = 1.0 - x;
  if (z != NULL)
    *z = 3.0 * one_x * one_x * a - 10.0 * u * b - c / 3.0;
  if (dzdx != NULL)
    *dzdx = a * (-6.0 * one_x - 6.0 * x * one_x * one_x)
            - 10.0 * b * ((0.2 - 3.0 * x * x) - 2.0 * x * u)
            + (2.0 / 3.0) * (x + 1.0) * c;
  if (dzdy != NULL)
    *dzdy = a * (-6.0 * one_x * one_x * (y + 1.0))
            - 10.0 * b * (-5.0 * y4 - 2.0 * y * u)
            + (2.0 / 3.0) * y * c;
}

double
nn_descent_peaks_xy(double x, double y)
{
  double z;
  peaks_parts(x, y, &z, NULL, NULL);
  return z;
}

double
nn_descent_peaks(const gsl_vector *v, void *params)
{
  (void) params;
  if (v == NULL || v->size != 2)
    return NAN;
  return nn_descent_peaks_xy(gsl_vector_get(v, 0), gsl_vector_get(v, 1));
}

void
nn_descent_peaks_grad(const gsl_vector *v, void *params, gsl_vector *grad)
{
  (void) params;
  if (grad == NULL)
    return;
  if (v == NULL || v->size != 2 || grad->size != 2) {
    gsl_vector_set_all(grad, NAN);
    return;
  }
  double dx, dy;
  peaks_parts(gsl_vector_get(v, 0), gsl_vector_get(v, 1), NULL, &dx, &dy);
  gsl_vector_set(grad, 0, dx);
  gsl_vector_set(grad, 1, dy);
}

void
nn_descent_peaks_fdf(const gsl_vector *v, void *params, double *z, gsl_vector *grad)
{
  if (z != NULL)
    *z = nn_descent_peaks(v, params);
  nn_descent_peaks_grad(v, params, grad);
}
