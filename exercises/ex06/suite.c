/* SPDX-License-Identifier: GPL-3.0-or-later */
/* suite-ex06.c: the public tests of exercise 6.
 *
 * Each test sends its inputs to the student's function in the probe and
 * compares the answer with the library's (lib/), which is the reference:
 * nn_descent_peaks and nn_descent_peaks_grad give the surface and its
 * gradient, nn_descent_step_2d and nn_descent_run_2d the steps and the runs.
 * The gradient is also checked the way the course checks every gradient:
 * against central differences of peaks, with a relative error below 1e-7,
 * and a gradient of zeros is refused. Inputs live in arrays on the stack, so
 * a failing test leaks nothing.
 */
#include <config.h>

#include <math.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include <nn/descent.h>
#include <nn/gradcheck.h>

#include "exercises.h"
#include "remote-ex06.h"
#include "testkit.h"

/* ===== ex6_peaks ===== */

static void
peaks_at_the_origin(void **state)
{
  (void) state;
  /* z(0, 0) = 3/e - 1/(3e) = 8/(3e): the middle term has the factor 0 */
  double pa[] = {0.0, 0.0}, z = NAN;
  gsl_vector_view p = gsl_vector_view_array(pa, 2);
  NNG_REQUIRE_SUCCESS(nng_ex6_peaks(&p.vector, &z), "ex6_peaks");
  NNG_EXPECT_CLOSE("peaks(0, 0) = 8/(3e)", z, 8.0 / (3.0 * M_E), 1e-13);
}

static void
peaks_matches_the_formula_everywhere(void **state)
{
  (void) state;
  double pts[16];
  nng_fill_uniform(pts, 16, -2.5, 2.5, 61);
  for (size_t k = 0; k < 8; k++) {
    double z = NAN;
    gsl_vector_view p = gsl_vector_view_array(pts + 2 * k, 2);
    NNG_REQUIRE_SUCCESS(nng_ex6_peaks(&p.vector, &z), "ex6_peaks");
    char what[96];
    snprintf(what, sizeof what, "peaks(%.4f, %.4f)", pts[2 * k], pts[2 * k + 1]);
    NNG_EXPECT_CLOSE(what, z, nn_descent_peaks(&p.vector, NULL), 1e-12);
  }
}

static void
peaks_rejects_a_point_of_three(void **state)
{
  (void) state;
  double pa[] = {0.5, -1.25, 2.385}, z = 42.0;
  gsl_vector_view p = gsl_vector_view_array(pa, 3);
  NNG_EXPECT_STATUS(nng_ex6_peaks(&p.vector, &z), GSL_EBADLEN, "ex6_peaks",
                    "p of 3 entries");
  NNG_EXPECT_CLOSE("ex6_peaks's z after the error (it must be left as it was)", z,
                   42.0, 0.0);
}

/* ===== ex6_peaks_gradient ===== */

static void
gradient_at_the_origin(void **state)
{
  (void) state;
  double pa[] = {0.0, 0.0}, ga[] = {NAN, NAN};
  double ea[] = {-2.0 - 16.0 / (3.0 * M_E), -6.0 / M_E};  /* by hand */
  gsl_vector_view p = gsl_vector_view_array(pa, 2), g = gsl_vector_view_array(ga, 2);
  gsl_vector_view e = gsl_vector_view_array(ea, 2);
  NNG_REQUIRE_SUCCESS(nng_ex6_peaks_gradient(&p.vector, &g.vector), "ex6_peaks_gradient");
  NNG_EXPECT_VECTOR_CLOSE("∇peaks(0, 0) = (-2 - 16/(3e), -6/e)", &g.vector, &e.vector,
                          1e-13);
}

static void
gradient_matches_the_library(void **state)
{
  (void) state;
  double pts[16];
  nng_fill_uniform(pts, 16, -2.5, 2.5, 62);
  for (size_t k = 0; k < 8; k++) {
    double ga[] = {NAN, NAN}, ea[2];
    gsl_vector_view p = gsl_vector_view_array(pts + 2 * k, 2);
    gsl_vector_view g = gsl_vector_view_array(ga, 2), e = gsl_vector_view_array(ea, 2);
    nn_descent_peaks_grad(&p.vector, NULL, &e.vector);
    NNG_REQUIRE_SUCCESS(nng_ex6_peaks_gradient(&p.vector, &g.vector),
                        "ex6_peaks_gradient");
    char what[96];
    snprintf(what, sizeof what, "∇peaks(%.4f, %.4f)", pts[2 * k], pts[2 * k + 1]);
    NNG_EXPECT_VECTOR_CLOSE(what, &g.vector, &e.vector, 1e-10);
  }
}

static void
gradient_passes_a_numerical_check(void **state)
{
  (void) state;
  double pts[12];
  nng_fill_uniform(pts, 12, -2.0, 2.0, 63);
  for (size_t k = 0; k < 6; k++) {
    double ga[] = {0.0, 0.0}, na[2], error = 1.0;
    gsl_vector_view p = gsl_vector_view_array(pts + 2 * k, 2);
    gsl_vector_view g = gsl_vector_view_array(ga, 2), n = gsl_vector_view_array(na, 2);
    NNG_REQUIRE_SUCCESS(nng_ex6_peaks_gradient(&p.vector, &g.vector),
                        "ex6_peaks_gradient");
    /* (peaks(p + h e_i) - peaks(p - h e_i)) / (2h), h = 1e-5 */
    nn_gradcheck_numerical(&n.vector, nn_descent_peaks, NULL, &p.vector,
                           NN_GRADCHECK_STEP);
    int status = nn_gradcheck_relative_error(&error, NULL, &g.vector, &n.vector);
    NNG_EXPECT_TRUE(status == GSL_SUCCESS,
                    "ex6_peaks_gradient at (%.4f, %.4f) returned (0, 0): a gradient "
                    "of zeros cannot be checked.", pts[2 * k], pts[2 * k + 1]);
    NNG_EXPECT_TRUE(error < 1e-7,
                    "ex6_peaks_gradient at (%.4f, %.4f) = (%.10g, %.10g), but central "
                    "differences give (%.10g, %.10g): relative error %.2g, expected "
                    "below 1e-7.", pts[2 * k], pts[2 * k + 1], ga[0], ga[1], na[0],
                    na[1], error);
  }
}

static void
gradient_rejects_wrong_sizes(void **state)
{
  (void) state;
  double pa[] = {0.5, -1.25, 2.385}, ga[] = {7.5, 8.5, 9.5};
  gsl_vector_view p3 = gsl_vector_view_array(pa, 3), p2 = gsl_vector_view_array(pa, 2);
  gsl_vector_view g2 = gsl_vector_view_array(ga, 2), g1 = gsl_vector_view_array(ga, 1);
  NNG_EXPECT_STATUS(nng_ex6_peaks_gradient(&p3.vector, &g2.vector), GSL_EBADLEN,
                    "ex6_peaks_gradient", "p of 3 entries");
  NNG_EXPECT_STATUS(nng_ex6_peaks_gradient(&p2.vector, &g1.vector), GSL_EBADLEN,
                    "ex6_peaks_gradient", "grad of 1 entry");
  NNG_EXPECT_TRUE(ga[0] == 7.5 && ga[1] == 8.5 && ga[2] == 9.5,
                  "ex6_peaks_gradient changed grad although the sizes did not fit: "
                  "grad = (%g, %g), it was (7.5, 8.5).", ga[0], ga[1]);
}

/* ===== ex6_step ===== */

static void
step_descends_against_the_gradient(void **state)
{
  (void) state;
  double pa[] = {2.385, -1.5}, ga[] = {0.75, -1.25}, ea[] = {2.385, -1.5};
  const double sa[] = {2.385, -1.5};  /* where p starts */
  gsl_vector_view p = gsl_vector_view_array(pa, 2), g = gsl_vector_view_array(ga, 2);
  gsl_vector_view e = gsl_vector_view_array(ea, 2);
  gsl_vector_const_view start = gsl_vector_const_view_array(sa, 2);
  nn_descent_step_2d(&e.vector, &g.vector, 0.1, 0);
  NNG_REQUIRE_SUCCESS(nng_ex6_step(&p.vector, &g.vector, 0.1, 0), "ex6_step");
  nng_show_input_vector("grad", &g.vector);
  NNG_EXPECT_STEP_CLOSE("p - 0.1 grad with p = (2.385, -1.5), grad = (0.75, -1.25)",
                        &p.vector, &e.vector, &start.vector, 1e-14);
  /* in any dimension: a step of 5 entries */
  double qa[5], ha[5], fa[5], q0[5];
  nng_fill_uniform(qa, 5, -3, 3, 64);
  nng_fill_uniform(ha, 5, -3, 3, 65);
  for (size_t i = 0; i < 5; i++)
    fa[i] = q0[i] = qa[i];
  gsl_vector_view q = gsl_vector_view_array(qa, 5), h = gsl_vector_view_array(ha, 5);
  gsl_vector_view f = gsl_vector_view_array(fa, 5), from = gsl_vector_view_array(q0, 5);
  nn_descent_step_2d(&f.vector, &h.vector, 0.037, 0);
  NNG_REQUIRE_SUCCESS(nng_ex6_step(&q.vector, &h.vector, 0.037, 0), "ex6_step");
  nng_show_input_vector("grad", &h.vector);
  NNG_EXPECT_STEP_CLOSE("a descent step of 5 entries, lr = 0.037", &q.vector,
                        &f.vector, &from.vector, 1e-14);
}

static void
step_ascends_along_the_gradient(void **state)
{
  (void) state;
  double pa[] = {2.385, -1.5}, ga[] = {0.75, -1.25}, ea[] = {2.385, -1.5};
  const double sa[] = {2.385, -1.5};  /* where p starts */
  gsl_vector_view p = gsl_vector_view_array(pa, 2), g = gsl_vector_view_array(ga, 2);
  gsl_vector_view e = gsl_vector_view_array(ea, 2);
  gsl_vector_const_view start = gsl_vector_const_view_array(sa, 2);
  nn_descent_step_2d(&e.vector, &g.vector, 0.1, 1);
  NNG_REQUIRE_SUCCESS(nng_ex6_step(&p.vector, &g.vector, 0.1, 1), "ex6_step");
  nng_show_input_vector("grad", &g.vector);
  NNG_EXPECT_STEP_CLOSE("p + 0.1 grad (ascent) with p = (2.385, -1.5), grad = "
                        "(0.75, -1.25)", &p.vector, &e.vector, &start.vector, 1e-14);
}

static void
step_rejects_bad_learning_rates(void **state)
{
  (void) state;
  double pa[] = {0.5, -0.25}, ga[] = {1.0, 2.0};
  gsl_vector_view p = gsl_vector_view_array(pa, 2), g = gsl_vector_view_array(ga, 2);
  const double rates[] = {0.0, -0.01, NAN, INFINITY};
  const char *names[] = {"lr = 0", "lr = -0.01", "lr = NaN", "lr = infinity"};
  for (size_t k = 0; k < 4; k++) {
    NNG_EXPECT_STATUS(nng_ex6_step(&p.vector, &g.vector, rates[k], 0), GSL_EDOM,
                      "ex6_step", names[k]);
    NNG_EXPECT_TRUE(pa[0] == 0.5 && pa[1] == -0.25,
                    "ex6_step moved p with %s: p = (%g, %g), it was (0.5, -0.25).",
                    names[k], pa[0], pa[1]);
  }
}

static void
step_rejects_sizes_that_differ(void **state)
{
  (void) state;
  double pa[] = {0.5, -0.25}, ga[] = {1.0, 2.0, 3.0};
  gsl_vector_view p = gsl_vector_view_array(pa, 2), g = gsl_vector_view_array(ga, 3);
  NNG_EXPECT_STATUS(nng_ex6_step(&p.vector, &g.vector, 0.1, 0), GSL_EBADLEN,
                    "ex6_step", "p of 2 entries and grad of 3");
  NNG_EXPECT_TRUE(pa[0] == 0.5 && pa[1] == -0.25,
                  "ex6_step moved p although the sizes did not fit: p = (%g, %g), it "
                  "was (0.5, -0.25).", pa[0], pa[1]);
}

/* ===== ex6_descend ===== */

#define STEPS 100

/* The library's run from (x0, y0): path (STEPS+1, 2) and z (STEPS+1) into
 * the caller's arrays. The library's path is freed before returning, so a
 * failing test leaks nothing. */
static void
reference_run(double x0, double y0, double lr, int ascent, double *path, double *z)
{
  const gsl_multimin_function_fdf fn = {nn_descent_peaks, nn_descent_peaks_grad,
                                        nn_descent_peaks_fdf, 2, NULL};
  double start[2] = {x0, y0};
  gsl_vector_view s = gsl_vector_view_array(start, 2);
  nn_descent_options opt = {.lr = lr, .epochs = STEPS, .ascent = ascent};
  nn_descent_path *p = nn_descent_path_alloc(2, STEPS);
  nn_descent_run_2d(&fn, &s.vector, &opt, p);
  for (size_t t = 0; t <= STEPS; t++) {
    path[2 * t] = gsl_matrix_get(p->x, t, 0);
    path[2 * t + 1] = gsl_matrix_get(p->x, t, 1);
    z[t] = gsl_vector_get(p->f, t);
  }
  nn_descent_path_free(p);
}

/* 1 when the student's ex6_step takes one step as the library does. A
 * quiet check: ex6_descend builds on it, and says "fix ex6_step first". */
static int
step_works(int ascent)
{
  double pa[] = {0.6, -0.35}, ga[] = {-1.25, 0.75}, ea[] = {0.6, -0.35};
  gsl_vector_view p = gsl_vector_view_array(pa, 2), g = gsl_vector_view_array(ga, 2);
  gsl_vector_view e = gsl_vector_view_array(ea, 2);
  nn_descent_step_2d(&e.vector, &g.vector, 0.02, ascent);
  return nng_ex6_step(&p.vector, &g.vector, 0.02, ascent) == GSL_SUCCESS
         && fabs(pa[0] - ea[0]) <= 1e-12 && fabs(pa[1] - ea[1]) <= 1e-12;
}

/* Run the student's ex6_descend and compare with the library's run. */
static void
compare_runs(double x0, double y0, double lr, int ascent)
{
  double pa[2 * (STEPS + 1)], za[STEPS + 1], ep[2 * (STEPS + 1)], ez[STEPS + 1];
  double start[2] = {x0, y0};
  for (size_t i = 0; i < 2 * (STEPS + 1); i++)
    pa[i] = NAN;
  for (size_t i = 0; i <= STEPS; i++)
    za[i] = NAN;
  reference_run(x0, y0, lr, ascent, ep, ez);
  gsl_vector_view p0 = gsl_vector_view_array(start, 2);
  gsl_matrix_view path = gsl_matrix_view_array(pa, STEPS + 1, 2);
  gsl_vector_view z = gsl_vector_view_array(za, STEPS + 1);
  nng_builds_on("ex6_step", step_works(ascent));
  NNG_REQUIRE_SUCCESS(nng_ex6_descend(&p0.vector, lr, ascent, &path.matrix, &z.vector),
                      "ex6_descend");
  char what[160];
  gsl_matrix_view want = gsl_matrix_view_array(ep, STEPS + 1, 2);
  snprintf(what, sizeof what, "the path of %d steps of gradient %s from (%g, %g), "
           "lr = %g (row t: x_t, y_t)", STEPS, ascent ? "ascent" : "descent", x0, y0, lr);
  NNG_EXPECT_MATRIX_CLOSE(what, &path.matrix, &want.matrix, 1e-8);
  gsl_vector_view wz = gsl_vector_view_array(ez, STEPS + 1);
  snprintf(what, sizeof what, "z_t = peaks(x_t, y_t) along that path");
  NNG_EXPECT_VECTOR_CLOSE(what, &z.vector, &wz.vector, 1e-8);
  /* every step goes the right way (beyond rounding) with this small rate */
  for (size_t t = 0; t < STEPS; t++) {
    double change = za[t + 1] - za[t];
    NNG_EXPECT_TRUE((ascent ? -change : change) <= 1e-12,
                    "step %zu of the %s went the wrong way: z_%zu = %.12g, z_%zu = "
                    "%.12g.", t + 1, ascent ? "ascent" : "descent", t, za[t], t + 1,
                    za[t + 1]);
  }
}

static void
descend_follows_gradient_descent(void **state)
{
  (void) state;
  compare_runs(1.8, -1.0, 0.02, 0);  /* down into the deepest pit, z ≈ -6.551 */
}

static void
ascend_climbs_to_a_hilltop(void **state)
{
  (void) state;
  compare_runs(-1.5, 1.0, 0.02, 1);  /* up to the highest hill, z ≈ 8.106 */
}

static void
descend_rejects_bad_shapes_and_rates(void **state)
{
  (void) state;
  double start[2] = {1.8, -1.0}, start3[3] = {1.8, -1.0, 0.5};
  double pa[3 * 4], za[5];
  for (size_t i = 0; i < 12; i++)
    pa[i] = 7.25;
  for (size_t i = 0; i < 5; i++)
    za[i] = 7.25;
  gsl_vector_view p0 = gsl_vector_view_array(start, 2);
  gsl_vector_view p3 = gsl_vector_view_array(start3, 3);
  gsl_matrix_view wide = gsl_matrix_view_array(pa, 4, 3);   /* 3 columns */
  gsl_matrix_view good = gsl_matrix_view_array(pa, 4, 2);   /* 4 rows: 3 steps */
  gsl_matrix_view single = gsl_matrix_view_array(pa, 1, 2); /* no step at all */
  gsl_vector_view z4 = gsl_vector_view_array(za, 4), z5 = gsl_vector_view_array(za, 5);
  gsl_vector_view z1 = gsl_vector_view_array(za, 1);
  NNG_EXPECT_STATUS(nng_ex6_descend(&p0.vector, 0.02, 0, &wide.matrix, &z4.vector),
                    GSL_EBADLEN, "ex6_descend", "a path of 3 columns");
  NNG_EXPECT_STATUS(nng_ex6_descend(&p0.vector, 0.02, 0, &good.matrix, &z5.vector),
                    GSL_EBADLEN, "ex6_descend", "a path of 4 rows and z of 5 entries");
  NNG_EXPECT_STATUS(nng_ex6_descend(&p3.vector, 0.02, 0, &good.matrix, &z4.vector),
                    GSL_EBADLEN, "ex6_descend", "p0 of 3 entries");
  NNG_EXPECT_STATUS(nng_ex6_descend(&p0.vector, 0.02, 0, &single.matrix, &z1.vector),
                    GSL_EBADLEN, "ex6_descend", "a path of 1 row (no step)");
  NNG_EXPECT_STATUS(nng_ex6_descend(&p0.vector, 0.0, 0, &good.matrix, &z4.vector),
                    GSL_EDOM, "ex6_descend", "lr = 0");
  NNG_EXPECT_STATUS(nng_ex6_descend(&p0.vector, NAN, 1, &good.matrix, &z4.vector),
                    GSL_EDOM, "ex6_descend", "lr = NaN");
  NNG_EXPECT_TRUE(nng_all_equal(pa, 12, 7.25) && nng_all_equal(za, 5, 7.25),
                  "ex6_descend wrote into path or z although it returned an error: "
                  "check everything before writing anything.");
}

const nng_test nng_ex06_tests[] = {
  {"peaks_at_the_origin", peaks_at_the_origin, "ex6_peaks", 1,
   "At (0, 0) the middle term is 0 (its factor x/5 - x³ - y⁵ is 0), a = c = 1/e: "
   "z = 3/e - 1/(3e)."},
  {"peaks_matches_the_formula_everywhere", peaks_matches_the_formula_everywhere,
   "ex6_peaks", 1,
   "Check each exponent: e^(-x²-(y+1)²), e^(-x²-y²) and e^(-(x+1)²-y²); y⁵ is "
   "y*y*y*y*y, and the last term is divided by 3."},
  {"peaks_rejects_a_point_of_three", peaks_rejects_a_point_of_three, "ex6_peaks", 1,
   "Compare p->size with 2 before reading any entry; return GSL_EBADLEN and do not "
   "write *z."},
  {"gradient_at_the_origin", gradient_at_the_origin, "ex6_peaks_gradient", 1,
   "At (0, 0): ∂/∂x of 3(1-x)² a is -6/e, of -10 u b is -10 · 1/5 = -2, of -c/3 is "
   "2/(3e); ∂/∂y: only the first term, -6/e."},
  {"gradient_matches_the_library", gradient_matches_the_library, "ex6_peaks_gradient",
   1,
   "Write z = A + B + C and differentiate each term with the product rule; "
   "∂/∂x e^(g) = g_x e^(g). Entry 0 of grad is ∂z/∂x, entry 1 is ∂z/∂y."},
  {"gradient_passes_a_numerical_check", gradient_passes_a_numerical_check,
   "ex6_peaks_gradient", 1,
   "Compare your gradient with (z(x+h, y) - z(x-h, y)) / (2h), h = 1e-5, at a few "
   "points: the first digit that differs points to the wrong term."},
  {"gradient_rejects_wrong_sizes", gradient_rejects_wrong_sizes, "ex6_peaks_gradient",
   1, "Both p and grad must have 2 entries; check before writing grad."},
  {"step_descends_against_the_gradient", step_descends_against_the_gradient,
   "ex6_step", 1,
   "p_i ← p_i - lr · grad_i for every i: a loop over p->size, not just 2 entries."},
  {"step_ascends_along_the_gradient", step_ascends_along_the_gradient, "ex6_step", 1,
   "With ascent nonzero the step goes along the gradient: p_i ← p_i + lr · grad_i."},
  {"step_rejects_bad_learning_rates", step_rejects_bad_learning_rates, "ex6_step", 1,
   "!(lr > 0) is true for 0, negative numbers and NaN; isfinite(lr) rules out "
   "infinity. Return GSL_EDOM before moving p."},
  {"step_rejects_sizes_that_differ", step_rejects_sizes_that_differ, "ex6_step", 1,
   "Check p->size == grad->size before moving p: GSL_EBADLEN otherwise."},
  {"descend_follows_gradient_descent", descend_follows_gradient_descent,
   "ex6_descend", 1,
   "Row 0 is p0 and z_0 = peaks(p0); for t = 0 .. T-1, take the gradient at row t, "
   "copy row t into row t+1 and step there (gsl_matrix_row gives a row as a vector)."},
  {"ascend_climbs_to_a_hilltop", ascend_climbs_to_a_hilltop, "ex6_descend", 1,
   "Pass ascent on to your ex6_step: the same loop, the other direction."},
  {"descend_rejects_bad_shapes_and_rates", descend_rejects_bad_shapes_and_rates,
   "ex6_descend", 1,
   "path needs 2 columns and at least 2 rows, z one entry per row, p0 2 entries "
   "(GSL_EBADLEN); lr as in ex6_step (GSL_EDOM). Check all of it before writing."},
  {NULL, NULL, NULL, 0, NULL},
};
