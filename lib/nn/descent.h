/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nn/descent.h: gradient descent on scalar functions, in 1D and 2D.
 *
 * Guess a starting x, measure the slope there, and step against it:
 *
 *   x_{t+1} = x_t - η_t f'(x_t)          1D
 *   x_{t+1} = x_t - η_t ∇f(x_t)          2D (any dimension n works)
 *
 * for t = 0, 1, ..., T-1 (T epochs). Gradient ascent flips the sign of the
 * step (x_{t+1} = x_t + η_t ∇f(x_t)) and climbs to a maximum instead; it is
 * the same as descending -f.
 *
 * The learning rate η_t follows a schedule (η is the rate of the options):
 *
 *   NN_DESCENT_FIXED           η_t = η
 *   NN_DESCENT_LINEAR_DECAY    η_t = η (1 - t/T)      from η down to η/T: every
 *                                                     step still moves
 *   NN_DESCENT_INVERSE_DECAY   η_t = η / (1 + k t)    k = the options' decay
 *   NN_DESCENT_GRAD_SCALED     η_t = η |f'(x_t)|      (‖∇f(x_t)‖ in 2D): big
 *                                                     steps on steep slopes,
 *                                                     small ones near a minimum
 *   NN_DESCENT_LOSS_SCALED     η_t = η |f(x_t)|       big steps where f is large;
 *                                                     only shrinks near the minimum
 *                                                     when the minimum value is 0
 *
 * A run records its trajectory in a path: x, f(x) and the slope (f'(x), or
 * the gradient) after every step, row 0 being the start, so the path has
 * T+1 rows; and the rate each step used. That is what the lectures plot.
 *
 * Legal call order:
 *
 *   path = nn_descent_path_alloc(n, epochs);     n = 1 for a 1D run
 *   nn_descent_run_1d(&fn, x0, &opt, path);      or nn_descent_run_2d(&fn, x0, ...)
 *   ... read path->x, path->f, path->grad, path->lr; run again as often as needed
 *   nn_descent_path_free(path);
 *
 * A run that diverges (a learning rate too large for the function: x, f(x)
 * or the slope stops being a finite number) does not fill the path with
 * infinities: it stops after the last finite row, sets path->diverged and
 * path->steps, fills the rows it never reached with NaN (gnuplot skips them),
 * and reports GSL_EOVRFLW naming the epoch and the learning rate. A program
 * that wants to show divergence as a result, not as an error, checks the
 * status and path->diverged with its own GSL error handler in place.
 *
 * The course's functions, with their derivatives worked out by hand, are
 * here too, ready to be handed to a run or to a numerical derivative:
 *
 *   3x² - 3x + 4              f' = 6x - 3; minimum at x = 0.5 (f = 3.25)
 *   cos(2πx) + x²             f' = -2π sin(2πx) + 2x; f'(0) = 0 although 0 is a
 *                             local maximum: the "unfortunate starting value"
 *   peaks(x, y) = 3(1-x)² e^(-x²-(y+1)²) - 10(x/5 - x³ - y⁵) e^(-x²-y²)
 *                 - (1/3) e^(-(x+1)²-y²)
 *                             three maxima and three minima (global minimum
 *                             about -6.55 at (0.228, -1.626))
 *
 * Errors: GSL_EDOM for a learning rate or decay that is not a finite positive
 * (decay: non-negative) number, a start where f is not finite, an unknown
 * schedule; GSL_EBADLEN for zero epochs or a path or vector of the wrong size
 * (both sizes in the message); GSL_EINVAL for NULL arguments; GSL_EOVRFLW for
 * a diverging run (see above).
 */
#ifndef NN_DESCENT_H
#define NN_DESCENT_H

#include <stddef.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_vector.h>

/* How the learning rate changes from step to step (see the table above). */
typedef enum nn_descent_schedule {
  NN_DESCENT_FIXED,
  NN_DESCENT_LINEAR_DECAY,
  NN_DESCENT_INVERSE_DECAY,
  NN_DESCENT_GRAD_SCALED,
  NN_DESCENT_LOSS_SCALED
} nn_descent_schedule;

/* The knobs of a run. Designated initialisers read best:
 *   nn_descent_options opt = {.lr = 0.01, .epochs = 100}; */
typedef struct nn_descent_options {
  double lr;                     /* η > 0: the base learning rate */
  size_t epochs;                 /* T >= 1: the number of steps */
  nn_descent_schedule schedule;  /* NN_DESCENT_FIXED (0) by default */
  double decay;                  /* k >= 0 of NN_DESCENT_INVERSE_DECAY (checked and
                                    used by that schedule only) */
  int ascent;                    /* 0: descend (step against the slope); 1: ascend */
} nn_descent_options;

/* The trajectory of a run. Rows past the last step taken hold NaN. */
typedef struct nn_descent_path {
  size_t n;          /* dimension of x: 1 for a 1D run, 2 for peaks */
  size_t epochs;     /* capacity: the most steps a run may take into this path */
  size_t steps;      /* the steps the last run took (< its epochs when it diverged) */
  int diverged;      /* 1 when the last run stopped on a non-finite value */
  gsl_matrix *x;     /* (epochs+1, n): row t is x after t steps; row 0 the start */
  gsl_vector *f;     /* epochs+1 entries: f at row t of x */
  gsl_matrix *grad;  /* (epochs+1, n): f'(x) or ∇f at row t of x */
  gsl_vector *lr;    /* epochs entries: η_t, the rate step t used */
} nn_descent_path;

/* A path for runs in n dimensions of at most `epochs` steps (both >= 1).
 * Every entry starts as NaN. The caller frees it with nn_descent_path_free. */
nn_descent_path *nn_descent_path_alloc(size_t n, size_t epochs);

/* Accepts NULL. */
void nn_descent_path_free(nn_descent_path *path);

/* ===== The pieces of a step ===== */

/* *lr = η_t for step `epoch` (0-based, < opt->epochs) at a point where f is
 * fx and the slope has size `slope` (|f'(x)|, or ‖∇f(x)‖ in 2D); fx and slope
 * are only read by the schedules that scale by them. */
int nn_descent_rate(const nn_descent_options *opt, size_t epoch, double fx,
                    double slope, double *lr);

/* One step in 1D: *x -= lr·dfdx (descent) or *x += lr·dfdx (ascent).
 * lr >= 0 (a scaled schedule gives 0 at a flat point). */
int nn_descent_step_1d(double *x, double dfdx, double lr, int ascent);

/* One step in n dimensions: x -= lr·grad (descent) or x += lr·grad (ascent),
 * in place. x and grad have the same length. */
int nn_descent_step_2d(gsl_vector *x, const gsl_vector *grad, double lr, int ascent);

/* ===== Runs ===== */

/* Descend (or ascend) f from x0 for opt->epochs steps, recording into path
 * (path->n == 1, path->epochs >= opt->epochs). Only fn->f and fn->df are
 * called; fn->fdf may be NULL. */
int nn_descent_run_1d(const gsl_function_fdf *fn, double x0,
                      const nn_descent_options *opt, nn_descent_path *path);

/* The same in fn->n dimensions from the point x0 (fn->n entries), recording
 * into path (path->n == fn->n). Only fn->f and fn->df are called; fn->fdf may
 * be NULL. The gradient is written straight into the rows of path->grad, so
 * a run allocates nothing. */
int nn_descent_run_2d(const gsl_multimin_function_fdf *fn, const gsl_vector *x0,
                      const nn_descent_options *opt, nn_descent_path *path);

/* ===== The course's functions =====
 *
 * Callbacks in GSL's shapes (params is ignored and may be NULL), e.g.
 *
 *   gsl_function_fdf q = {nn_descent_quadratic, nn_descent_quadratic_deriv,
 *                         nn_descent_quadratic_fdf, NULL};
 *   gsl_multimin_function_fdf p = {nn_descent_peaks, nn_descent_peaks_grad,
 *                                  nn_descent_peaks_fdf, 2, NULL};
 */

/* f(x) = 3x² - 3x + 4 and f'(x) = 6x - 3. */
double nn_descent_quadratic(double x, void *params);
double nn_descent_quadratic_deriv(double x, void *params);
void nn_descent_quadratic_fdf(double x, void *params, double *f, double *df);

/* f(x) = cos(2πx) + x² and f'(x) = -2π sin(2πx) + 2x. */
double nn_descent_wavy(double x, void *params);
double nn_descent_wavy_deriv(double x, void *params);
void nn_descent_wavy_fdf(double x, void *params, double *f, double *df);

/* peaks(x, y) for plotting grids. */
double nn_descent_peaks_xy(double x, double y);

/* peaks at the point v = (x, y). NaN when v is NULL or has not 2 entries. */
double nn_descent_peaks(const gsl_vector *v, void *params);

/* grad = ∇peaks(v) = (∂z/∂x, ∂z/∂y). When v or grad has not 2 entries,
 * grad (if any) is filled with NaN. */
void nn_descent_peaks_grad(const gsl_vector *v, void *params, gsl_vector *grad);

/* Both at once: *z = peaks(v), grad = ∇peaks(v). */
void nn_descent_peaks_fdf(const gsl_vector *v, void *params, double *z,
                          gsl_vector *grad);

#endif /* NN_DESCENT_H */
