/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of nn/descent.h: gradient descent and the course's functions. */
#include "nntest.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_math.h>
#include <nn/deriv.h>
#include <nn/descent.h>

static gsl_function_fdf quadratic = {nn_descent_quadratic, nn_descent_quadratic_deriv,
                                     nn_descent_quadratic_fdf, NULL};
static gsl_function_fdf wavy = {nn_descent_wavy, nn_descent_wavy_deriv,
                                nn_descent_wavy_fdf, NULL};
static gsl_multimin_function_fdf peaks = {nn_descent_peaks, nn_descent_peaks_grad,
                                          nn_descent_peaks_fdf, 2, NULL};

/* peaks written independently of the library, straight from the syllabus. */
static double
peaks_reference(double x, double y)
{
  return 3 * pow(1 - x, 2) * exp(-pow(x, 2) - pow(y + 1, 2))
         - 10 * (x / 5 - pow(x, 3) - pow(y, 5)) * exp(-pow(x, 2) - pow(y, 2))
         - 1.0 / 3 * exp(-pow(x + 1, 2) - pow(y, 2));
}

/* -peaks and its gradient: descending it is ascending peaks. */
static double
neg_peaks(const gsl_vector *v, void *params)
{
  return -nn_descent_peaks(v, params);
}

static void
neg_peaks_grad(const gsl_vector *v, void *params, gsl_vector *g)
{
  nn_descent_peaks_grad(v, params, g);
  gsl_vector_scale(g, -1.0);
}

/* Relative error between an analytic and a numerical derivative, refusing a
 * derivative so small that any stub returning 0 would pass. */
static void
assert_derivative(double analytic, double numerical)
{
  assert_true(fabs(analytic) > 1e-3);
  double rel = fabs(analytic - numerical) / fmax(fabs(analytic), fabs(numerical));
  if (!(rel < 1e-7)) {
    print_error("analytic %.17g vs numerical %.17g: relative error %g\n", analytic,
                numerical, rel);
    fail();
  }
}

/* ===== 1D ===== */

static void
descent_converges_to_one_half_on_the_quadratic(void **state)
{
  (void) state;
  nn_descent_path *path = nn_descent_path_alloc(1, 1000);
  assert_non_null(path);
  nn_descent_options opt = {.lr = 0.01, .epochs = 1000};
  assert_int_equal(nn_descent_run_1d(&quadratic, 2.385, &opt, path), GSL_SUCCESS);
  assert_int_equal(path->steps, 1000);
  assert_int_equal(path->diverged, 0);
  /* x_t - 0.5 shrinks by |1 - 6·0.01| = 0.94 per step: 0.94^1000 ≈ 1e-27. */
  assert_close(gsl_matrix_get(path->x, 1000, 0), 0.5, 1e-12);
  assert_close(gsl_vector_get(path->f, 1000), 3.25, 1e-12);
  assert_close(gsl_matrix_get(path->grad, 1000, 0), 0.0, 1e-11);
  /* Row 0 is the start; every row is one step of x -= lr·f'(x) from the last. */
  assert_true(gsl_matrix_get(path->x, 0, 0) == 2.385);
  for (size_t t = 0; t < 1000; t++) {
    double x = gsl_matrix_get(path->x, t, 0), g = gsl_matrix_get(path->grad, t, 0);
    assert_true(gsl_vector_get(path->lr, t) == 0.01);
    assert_true(g == 6 * x - 3);
    assert_true(gsl_vector_get(path->f, t) == 3 * x * x - 3 * x + 4);
    assert_true(gsl_matrix_get(path->x, t + 1, 0) == x - 0.01 * g);
    assert_true(gsl_vector_get(path->f, t + 1) <= gsl_vector_get(path->f, t));
  }
  /* From the other side, faster. */
  opt = (nn_descent_options) {.lr = 0.1, .epochs = 60};
  assert_int_equal(nn_descent_run_1d(&quadratic, -2.385, &opt, path), GSL_SUCCESS);
  assert_close(gsl_matrix_get(path->x, 60, 0), 0.5, 1e-12);
  nn_descent_path_free(path);
}

static void
unfortunate_start_never_moves(void **state)
{
  (void) state;
  nn_descent_path *path = nn_descent_path_alloc(1, 200);
  nn_descent_options opt = {.lr = 0.01, .epochs = 200};
  assert_true(nn_descent_wavy_deriv(0.0, NULL) == 0.0);
  assert_int_equal(nn_descent_run_1d(&wavy, 0.0, &opt, path), GSL_SUCCESS);
  for (size_t t = 0; t <= 200; t++) {
    assert_true(gsl_matrix_get(path->x, t, 0) == 0.0);
    assert_true(gsl_matrix_get(path->grad, t, 0) == 0.0);
    assert_true(gsl_vector_get(path->f, t) == 1.0);
  }
  /* A nudge away from 0 and it rolls down to the local minimum near 0.48,
   * where f'(x) = 0 means 2x = 2π sin(2πx). */
  assert_int_equal(nn_descent_run_1d(&wavy, 0.05, &opt, path), GSL_SUCCESS);
  double x = gsl_matrix_get(path->x, 200, 0);
  assert_true(x > 0.4 && x < 0.5);
  assert_close(nn_descent_wavy_deriv(x, NULL), 0.0, 1e-8);
  assert_true(gsl_vector_get(path->f, 200) < gsl_vector_get(path->f, 0) - 1.5);
  nn_descent_path_free(path);
}

static void
derivatives_match_central_differences(void **state)
{
  (void) state;
  gsl_function q = {nn_descent_quadratic, NULL}, w = {nn_descent_wavy, NULL};
  const double xs[] = {-2.385, -0.731, 0.123, 1.618, 2.385};
  for (size_t k = 0; k < 5; k++) {
    double x = xs[k], dq = NAN, dw = NAN;
    assert_close(nn_descent_quadratic(x, NULL), 3 * x * x - 3 * x + 4, 1e-15);
    assert_close(nn_descent_wavy(x, NULL), cos(2 * M_PI * x) + x * x, 1e-15);
    assert_int_equal(nn_deriv_central(&q, x, 1e-5, &dq), GSL_SUCCESS);
    assert_int_equal(nn_deriv_central(&w, x, 1e-5, &dw), GSL_SUCCESS);
    assert_derivative(nn_descent_quadratic_deriv(x, NULL), dq);
    assert_derivative(nn_descent_wavy_deriv(x, NULL), dw);
    double f = NAN, df = NAN;
    nn_descent_wavy_fdf(x, NULL, &f, &df);
    assert_true(f == nn_descent_wavy(x, NULL) && df == nn_descent_wavy_deriv(x, NULL));
    nn_descent_quadratic_fdf(x, NULL, &f, &df);
    assert_true(f == nn_descent_quadratic(x, NULL)
                && df == nn_descent_quadratic_deriv(x, NULL));
  }
}

/* ===== 2D ===== */

static void
peaks_gradient_matches_central_differences(void **state)
{
  (void) state;
  const double pts[][2] = {{0.385, -1.2}, {-1.3, 0.7}, {1.1, 1.9}, {-0.4, -0.25},
                           {2.385, -0.731}, {0.6, 0.9}};
  double va[2], ga[2];
  gsl_vector_view v = gsl_vector_view_array(va, 2), g = gsl_vector_view_array(ga, 2);
  for (size_t k = 0; k < 6; k++) {
    va[0] = pts[k][0];
    va[1] = pts[k][1];
    double z = nn_descent_peaks(&v.vector, NULL);
    assert_close(z, peaks_reference(va[0], va[1]), 1e-13);
    assert_close(nn_descent_peaks_xy(va[0], va[1]), z, 0.0);
    nn_descent_peaks_grad(&v.vector, NULL, &g.vector);
    for (size_t i = 0; i < 2; i++) {
      double d = NAN;
      assert_int_equal(nn_deriv_partial(nn_descent_peaks, NULL, &v.vector, i, 1e-5, &d),
                       GSL_SUCCESS);
      assert_derivative(ga[i], d);
    }
    double z2 = NAN, g2a[2];
    gsl_vector_view g2 = gsl_vector_view_array(g2a, 2);
    nn_descent_peaks_fdf(&v.vector, NULL, &z2, &g2.vector);
    assert_true(z2 == z && g2a[0] == ga[0] && g2a[1] == ga[1]);
  }
  /* Landmarks of the surface: peaks(0, 0) = (8/3)/e; the global minimum. */
  assert_close(nn_descent_peaks_xy(0.0, 0.0), 8.0 / 3.0 / M_E, 1e-15);
  /* Wrong sizes give NaN, never a read past the vector. */
  gsl_vector_view v1 = gsl_vector_subvector(&v.vector, 0, 1);
  assert_true(isnan(nn_descent_peaks(&v1.vector, NULL)));
  assert_true(isnan(nn_descent_peaks(NULL, NULL)));
  nn_descent_peaks_grad(&v1.vector, NULL, &g.vector);
  assert_true(isnan(ga[0]) && isnan(ga[1]));
}

static void
descent_lowers_peaks_and_ascent_raises_it(void **state)
{
  (void) state;
  nn_descent_path *down = nn_descent_path_alloc(2, 500);
  nn_descent_path *up = nn_descent_path_alloc(2, 500);
  nn_descent_path *neg = nn_descent_path_alloc(2, 500);
  double sa[] = {0.385, -0.731};
  gsl_vector_view start = gsl_vector_view_array(sa, 2);
  nn_descent_options opt = {.lr = 0.01, .epochs = 500};
  assert_int_equal(nn_descent_run_2d(&peaks, &start.vector, &opt, down), GSL_SUCCESS);
  opt.ascent = 1;
  assert_int_equal(nn_descent_run_2d(&peaks, &start.vector, &opt, up), GSL_SUCCESS);
  double z0 = nn_descent_peaks_xy(sa[0], sa[1]);
  assert_close(gsl_vector_get(down->f, 0), z0, 0.0);
  /* Every step goes the right way, strictly until the run has settled and
   * then within round-off (about 60 steps: f agrees to 10 digits by then). */
  for (size_t t = 0; t < 500; t++) {
    double slack = t < 60 ? 0.0 : 1e-14;
    assert_true(gsl_vector_get(down->f, t + 1) < gsl_vector_get(down->f, t) + slack);
    assert_true(gsl_vector_get(up->f, t + 1) > gsl_vector_get(up->f, t) - slack);
  }
  /* Descent from here finds the global minimum, about -6.551 at (0.228, -1.626). */
  assert_close(gsl_vector_get(down->f, 500), -6.5511, 1e-4);
  assert_close(gsl_matrix_get(down->x, 500, 0), 0.228, 1e-3);
  assert_close(gsl_matrix_get(down->x, 500, 1), -1.626, 1e-3);
  /* Ascent climbs to the local maximum of about 3.777 at (-0.460, -0.629). */
  assert_close(gsl_vector_get(up->f, 500), 3.7766, 1e-4);
  assert_close(gsl_matrix_get(up->x, 500, 0), -0.460, 1e-3);
  /* The step in 2D, written out for one row. */
  for (size_t i = 0; i < 2; i++)
    assert_true(gsl_matrix_get(down->x, 1, i)
                == sa[i] - 0.01 * gsl_matrix_get(down->grad, 0, i));
  /* Ascent the other way: descend -peaks. The same path, bit for bit. */
  gsl_multimin_function_fdf minus = {neg_peaks, neg_peaks_grad, NULL, 2, NULL};
  opt.ascent = 0;
  assert_int_equal(nn_descent_run_2d(&minus, &start.vector, &opt, neg), GSL_SUCCESS);
  for (size_t t = 0; t <= 500; t++)
    for (size_t i = 0; i < 2; i++)
      assert_true(gsl_matrix_get(neg->x, t, i) == gsl_matrix_get(up->x, t, i));
  nn_descent_path_free(down);
  nn_descent_path_free(up);
  nn_descent_path_free(neg);
}

/* ===== Schedules ===== */

static void
each_schedule_does_what_it_says(void **state)
{
  (void) state;
  const size_t T = 40;
  nn_descent_path *p1 = nn_descent_path_alloc(1, 200);  /* runs of T and of 200 */
  nn_descent_path *p2 = nn_descent_path_alloc(2, T);
  double sa[] = {-0.385, 0.731};
  gsl_vector_view start = gsl_vector_view_array(sa, 2);
  for (int s = NN_DESCENT_FIXED; s <= NN_DESCENT_LOSS_SCALED; s++) {
    nn_descent_options opt = {.lr = 0.0123, .epochs = T, .schedule = s, .decay = 0.25};
    assert_int_equal(nn_descent_run_1d(&quadratic, 2.385, &opt, p1), GSL_SUCCESS);
    assert_int_equal(nn_descent_run_2d(&peaks, &start.vector, &opt, p2), GSL_SUCCESS);
    for (size_t t = 0; t < T; t++) {
      double g1 = fabs(gsl_matrix_get(p1->grad, t, 0));
      gsl_vector_view row = gsl_matrix_row(p2->grad, t);
      double g2 = gsl_blas_dnrm2(&row.vector);
      double want1, want2;
      switch (s) {
      case NN_DESCENT_FIXED:
        want1 = want2 = 0.0123;
        break;
      case NN_DESCENT_LINEAR_DECAY:
        want1 = want2 = 0.0123 * (1.0 - (double) t / T);
        break;
      case NN_DESCENT_INVERSE_DECAY:
        want1 = want2 = 0.0123 / (1.0 + 0.25 * t);
        break;
      case NN_DESCENT_GRAD_SCALED:
        want1 = 0.0123 * g1;
        want2 = 0.0123 * g2;
        break;
      default:
        want1 = 0.0123 * fabs(gsl_vector_get(p1->f, t));
        want2 = 0.0123 * fabs(gsl_vector_get(p2->f, t));
      }
      assert_close(gsl_vector_get(p1->lr, t), want1, 1e-15);
      assert_close(gsl_vector_get(p2->lr, t), want2, 1e-15);
      /* and the step used that rate */
      assert_close(gsl_matrix_get(p1->x, t + 1, 0),
                   gsl_matrix_get(p1->x, t, 0) - want1 * gsl_matrix_get(p1->grad, t, 0),
                   1e-14);
    }
  }
  /* The linear decay's last step still moves: η/T, not 0. */
  nn_descent_options lin = {.lr = 0.0123, .epochs = T, .schedule = NN_DESCENT_LINEAR_DECAY};
  double r = NAN;
  assert_int_equal(nn_descent_rate(&lin, T - 1, 0, 0, &r), GSL_SUCCESS);
  assert_close(r, 0.0123 / T, 1e-15);
  /* The rate function alone, at a point where f = -2.385 and the slope is 0.731. */
  nn_descent_options o = {.lr = 0.5, .epochs = 10, .decay = 2.385};
  const double want[] = {0.5, 0.5 * (1 - 3.0 / 10), 0.5 / (1 + 2.385 * 3),
                         0.5 * 0.731, 0.5 * 2.385};
  for (int s = NN_DESCENT_FIXED; s <= NN_DESCENT_LOSS_SCALED; s++) {
    o.schedule = s;
    assert_int_equal(nn_descent_rate(&o, 3, -2.385, 0.731, &r), GSL_SUCCESS);
    assert_close(r, want[s], 1e-15);
  }
  /* Scaling by the slope slows down as the slope flattens near the minimum
   * (the step is η f'(x)², so x - 0.5 only shrinks like 1/t there) ... */
  nn_descent_options g = {.lr = 0.01, .epochs = 200, .schedule = NN_DESCENT_GRAD_SCALED};
  assert_int_equal(nn_descent_run_1d(&quadratic, 2.385, &g, p1), GSL_SUCCESS);
  assert_true(fabs(gsl_matrix_get(p1->x, 200, 0) - 0.5) < 0.05);
  assert_true(gsl_vector_get(p1->lr, 199) < 0.003);
  for (size_t t = 1; t < 200; t++)
    assert_true(gsl_vector_get(p1->lr, t) < gsl_vector_get(p1->lr, t - 1));
  /* ... and overshoots on a steep slope: 0.05 f'(2.385)² = 6.4 jumps past the
   * minimum to a steeper place, and so on. */
  g.lr = 0.05;
  assert_gsl_error(nn_descent_run_1d(&quadratic, 2.385, &g, p1), GSL_EOVRFLW,
                   "diverged");
  /* Scaling by the loss keeps a step of η f(0.5) = 3.25 η at the minimum. */
  g.schedule = NN_DESCENT_LOSS_SCALED;
  g.lr = 0.01;
  assert_int_equal(nn_descent_run_1d(&quadratic, 2.385, &g, p1), GSL_SUCCESS);
  assert_close(gsl_vector_get(p1->lr, 199), 0.01 * 3.25, 1e-6);
  nn_descent_path_free(p1);
  nn_descent_path_free(p2);
}

static void
single_steps(void **state)
{
  (void) state;
  double x = 2.385;
  assert_int_equal(nn_descent_step_1d(&x, 0.731, 0.1, 0), GSL_SUCCESS);
  assert_close(x, 2.385 - 0.0731, 1e-15);
  assert_int_equal(nn_descent_step_1d(&x, 0.731, 0.1, 1), GSL_SUCCESS);
  assert_close(x, 2.385, 1e-15);
  double va[] = {0.385, -1.2}, ga[] = {2.0, -0.5};
  gsl_vector_view v = gsl_vector_view_array(va, 2), g = gsl_vector_view_array(ga, 2);
  assert_int_equal(nn_descent_step_2d(&v.vector, &g.vector, 0.25, 0), GSL_SUCCESS);
  assert_close(va[0], -0.115, 1e-15);
  assert_close(va[1], -1.075, 1e-15);
  assert_int_equal(nn_descent_step_2d(&v.vector, &g.vector, 0.25, 1), GSL_SUCCESS);
  assert_close(va[0], 0.385, 1e-15);
  assert_close(va[1], -1.2, 1e-15);
}

/* ===== Divergence and bad input ===== */

static double
bowl(const gsl_vector *v, void *params)
{
  (void) params;
  return 2.385 * (gsl_vector_get(v, 0) * gsl_vector_get(v, 0)
                  + gsl_vector_get(v, 1) * gsl_vector_get(v, 1));
}

static void
bowl_grad(const gsl_vector *v, void *params, gsl_vector *g)
{
  (void) params;
  gsl_vector_memcpy(g, v);
  gsl_vector_scale(g, 2 * 2.385);
}

static void
a_diverging_run_stops_and_says_so(void **state)
{
  (void) state;
  nn_descent_path *path = nn_descent_path_alloc(1, 3000);
  /* lr = 0.5: x - 0.5 is multiplied by 1 - 6·0.5 = -2 at every step. */
  nn_descent_options opt = {.lr = 0.5, .epochs = 3000};
  assert_gsl_error(nn_descent_run_1d(&quadratic, 2.385, &opt, path), GSL_EOVRFLW,
                   "diverged at step");
  assert_non_null(strstr(nn_test_last_error, "learning rate 0.5"));
  assert_int_equal(path->diverged, 1);
  assert_true(path->steps > 400 && path->steps < 3000);
  for (size_t t = 0; t <= path->steps; t++) {
    assert_true(isfinite(gsl_matrix_get(path->x, t, 0)));
    assert_true(isfinite(gsl_vector_get(path->f, t)));
  }
  for (size_t t = path->steps + 1; t <= 3000; t++) {
    assert_true(isnan(gsl_matrix_get(path->x, t, 0)));
    assert_true(isnan(gsl_vector_get(path->f, t)));
    assert_true(isnan(gsl_matrix_get(path->grad, t, 0)));
  }
  assert_true(isfinite(gsl_vector_get(path->lr, path->steps - 1)));
  assert_true(isnan(gsl_vector_get(path->lr, path->steps)));
  /* A later good run clears the flag. */
  opt = (nn_descent_options) {.lr = 0.01, .epochs = 5};
  assert_int_equal(nn_descent_run_1d(&quadratic, 2.385, &opt, path), GSL_SUCCESS);
  assert_int_equal(path->diverged, 0);
  assert_int_equal(path->steps, 5);
  assert_true(isnan(gsl_matrix_get(path->x, 6, 0)));  /* not reached by this run */
  nn_descent_path_free(path);

  /* In 2D: a bowl 2.385 (x² + y²) with a rate too large for it. Each step
   * multiplies x by 1 - 2·2.385·lr = -3.77. */
  nn_descent_path *p2 = nn_descent_path_alloc(2, 2000);
  double sa[] = {0.385, -0.731};
  gsl_vector_view start = gsl_vector_view_array(sa, 2);
  nn_descent_options big = {.lr = 1.0, .epochs = 2000};
  gsl_multimin_function_fdf b = {bowl, bowl_grad, NULL, 2, NULL};
  assert_gsl_error(nn_descent_run_2d(&b, &start.vector, &big, p2), GSL_EOVRFLW,
                   "diverged at step");
  assert_int_equal(p2->diverged, 1);
  assert_true(p2->steps > 200 && p2->steps < 2000);
  for (size_t t = 0; t <= p2->steps; t++)
    assert_true(isfinite(gsl_vector_get(p2->f, t)) && isfinite(gsl_matrix_get(p2->x, t, 1)));
  for (size_t t = p2->steps + 1; t <= 2000; t++)
    assert_true(isnan(gsl_vector_get(p2->f, t)) && isnan(gsl_matrix_get(p2->x, t, 0))
                && isnan(gsl_matrix_get(p2->grad, t, 1)));
  nn_descent_path_free(p2);
}

static double
log_fn(double x, void *params)
{
  (void) params;
  return log(x);
}

static double
log_deriv(double x, void *params)
{
  (void) params;
  return 1.0 / x;
}

static void
bad_input_is_named(void **state)
{
  (void) state;
  nn_descent_path *path = nn_descent_path_alloc(1, 10);
  nn_descent_path *p2 = nn_descent_path_alloc(2, 10);
  nn_descent_options opt = {.lr = 0.01, .epochs = 10};
  double sa[] = {0.385, -0.731, 1.0};
  gsl_vector_view s2 = gsl_vector_view_array(sa, 2), s3 = gsl_vector_view_array(sa, 3);

  opt.lr = 0.0;
  assert_gsl_error(nn_descent_run_1d(&quadratic, 2.385, &opt, path), GSL_EDOM,
                   "learning rate must be finite and positive, not 0");
  opt.lr = -0.25;
  assert_gsl_error(nn_descent_run_2d(&peaks, &s2.vector, &opt, p2), GSL_EDOM, "-0.25");
  opt.lr = NAN;
  assert_gsl_error(nn_descent_run_1d(&quadratic, 2.385, &opt, path), GSL_EDOM, "nan");
  opt.lr = INFINITY;
  assert_gsl_error(nn_descent_run_1d(&quadratic, 2.385, &opt, path), GSL_EDOM, "inf");
  opt.lr = 0.01;
  opt.epochs = 0;
  assert_gsl_error(nn_descent_run_1d(&quadratic, 2.385, &opt, path), GSL_EBADLEN,
                   "at least 1 epoch");
  opt.epochs = 20;
  assert_gsl_error(nn_descent_run_1d(&quadratic, 2.385, &opt, path), GSL_EBADLEN,
                   "the path holds 10 epochs but the run asks for 20");
  opt.epochs = 10;
  assert_gsl_error(nn_descent_run_1d(&quadratic, 2.385, &opt, p2), GSL_EBADLEN,
                   "points of 2 coordinates but the function takes 1");
  assert_gsl_error(nn_descent_run_2d(&peaks, &s2.vector, &opt, path), GSL_EBADLEN,
                   "points of 1 coordinates but the function takes 2");
  assert_gsl_error(nn_descent_run_2d(&peaks, &s3.vector, &opt, p2), GSL_EBADLEN,
                   "x0 has 3 entries but the function takes 2");
  opt.schedule = (nn_descent_schedule) 42;
  assert_gsl_error(nn_descent_run_1d(&quadratic, 2.385, &opt, path), GSL_EDOM,
                   "unknown learning-rate schedule 42");
  opt.schedule = NN_DESCENT_INVERSE_DECAY;
  opt.decay = -2.385;
  assert_gsl_error(nn_descent_run_1d(&quadratic, 2.385, &opt, path), GSL_EDOM,
                   "decay k of lr/(1 + k·epoch) must be finite and non-negative, not -2.385");
  opt.schedule = NN_DESCENT_FIXED;  /* the decay is only checked where it is used */
  assert_int_equal(nn_descent_run_1d(&quadratic, 2.385, &opt, path), GSL_SUCCESS);

  gsl_function_fdf lg = {log_fn, log_deriv, NULL, NULL};
  assert_gsl_error(nn_descent_run_1d(&lg, -2.385, &opt, path), GSL_EDOM,
                   "cannot start at x0 = -2.385");
  assert_int_equal(path->steps, 0);
  assert_true(isnan(gsl_matrix_get(path->x, 0, 0)));
  double r = 0;
  assert_gsl_error(nn_descent_rate(&opt, 10, 0, 0, &r), GSL_EDOM,
                   "epoch 10 is past the last one of a run of 10 epochs");
  assert_gsl_error(nn_descent_rate(NULL, 0, 0, 0, &r), GSL_EINVAL, "NULL");
  assert_gsl_error(nn_descent_run_1d(NULL, 2.385, &opt, path), GSL_EINVAL, "NULL");
  assert_gsl_error(nn_descent_run_1d(&quadratic, 2.385, &opt, NULL), GSL_EINVAL, "NULL");
  assert_gsl_error(nn_descent_run_2d(&peaks, NULL, &opt, p2), GSL_EINVAL, "NULL");
  double x = 1.0;
  assert_gsl_error(nn_descent_step_1d(&x, 1.0, -0.1, 0), GSL_EDOM, "-0.1");
  assert_gsl_error(nn_descent_step_1d(NULL, 1.0, 0.1, 0), GSL_EINVAL, "NULL");
  assert_gsl_error(nn_descent_step_2d(&s3.vector, &s2.vector, 0.1, 0), GSL_EBADLEN,
                   "x has 3 entries but grad has 2");
  assert_gsl_error(nn_descent_step_2d(&s2.vector, &s2.vector, NAN, 0), GSL_EDOM, "nan");

  nn_test_last_error[0] = '\0';
  assert_null(nn_descent_path_alloc(0, 10));
  assert_non_null(strstr(nn_test_last_error, "n = 0 and epochs = 10"));
  assert_null(nn_descent_path_alloc(2, 0));
  assert_non_null(strstr(nn_test_last_error, "n = 2 and epochs = 0"));
  nn_descent_path_free(NULL);
  nn_descent_path_free(path);
  nn_descent_path_free(p2);
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(descent_converges_to_one_half_on_the_quadratic),
    cmocka_unit_test(unfortunate_start_never_moves),
    cmocka_unit_test(derivatives_match_central_differences),
    cmocka_unit_test(peaks_gradient_matches_central_differences),
    cmocka_unit_test(descent_lowers_peaks_and_ascent_raises_it),
    cmocka_unit_test(each_schedule_does_what_it_says),
    cmocka_unit_test(single_steps),
    cmocka_unit_test(a_diverging_run_stops_and_says_so),
    cmocka_unit_test(bad_input_is_named),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
