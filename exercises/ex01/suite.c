/* SPDX-License-Identifier: GPL-3.0-or-later */
/* suite-ex01.c: the public tests of exercise 1.
 *
 * Each test sends its inputs to the student's function in the probe and
 * compares the answer with the library's (lib/), which is the reference.
 * Inputs live in arrays on the stack, so a failing test leaks nothing.
 */
#include <config.h>

#include <math.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include <nn/deriv.h>
#include <nn/linalg.h>
#include <nn/poly.h>

#include "exercises.h"
#include "remote-ex01.h"
#include "testkit.h"

/* ===== ex1_dot ===== */

static void
dot_multiplies_then_sums(void **state)
{
  (void) state;
  double xa[7], ya[7], r = NAN, expected;
  nng_fill_uniform(xa, 7, -3.0, 3.0, 11);
  nng_fill_uniform(ya, 7, -3.0, 3.0, 12);
  gsl_vector_view x = gsl_vector_view_array(xa, 7), y = gsl_vector_view_array(ya, 7);
  nn_linalg_dot(&x.vector, &y.vector, &expected);
  NNG_REQUIRE_SUCCESS(nng_ex1_dot(&x.vector, &y.vector, &r), "ex1_dot");
  NNG_EXPECT_CLOSE("ex1_dot of two vectors of 7 entries", r, expected, 1e-12);
}

static void
dot_of_orthogonal_vectors_is_zero(void **state)
{
  (void) state;
  double xa[] = {2.385, -1.5, 4.0}, ya[] = {1.5, 2.385, 0.0}, r = NAN;
  gsl_vector_view x = gsl_vector_view_array(xa, 3), y = gsl_vector_view_array(ya, 3);
  NNG_REQUIRE_SUCCESS(nng_ex1_dot(&x.vector, &y.vector, &r), "ex1_dot");
  NNG_EXPECT_CLOSE("ex1_dot of (2.385, -1.5, 4) and (1.5, 2.385, 0)", r, 0.0, 1e-12);
}

static void
dot_rejects_lengths_that_differ(void **state)
{
  (void) state;
  double xa[] = {1.25, 2.5, 3.75}, ya[] = {4.0, 5.0}, r = 42.0;
  gsl_vector_view x = gsl_vector_view_array(xa, 3), y = gsl_vector_view_array(ya, 2);
  NNG_EXPECT_STATUS(nng_ex1_dot(&x.vector, &y.vector, &r), GSL_EBADLEN, "ex1_dot",
                    "x of 3 entries and y of 2");
  NNG_EXPECT_CLOSE("ex1_dot's result after the error (it must be left as it was)",
                   r, 42.0, 0.0);
}

/* ===== ex1_matvec ===== */

static void
matvec_is_stacked_dot_products(void **state)
{
  (void) state;
  double Wa[4 * 3], xa[3], ya[4] = {NAN, NAN, NAN, NAN}, ea[4];
  nng_fill_uniform(Wa, 12, -3.0, 3.0, 21);
  nng_fill_uniform(xa, 3, -3.0, 3.0, 22);
  gsl_matrix_view W = gsl_matrix_view_array(Wa, 4, 3);
  gsl_vector_view x = gsl_vector_view_array(xa, 3);
  gsl_vector_view y = gsl_vector_view_array(ya, 4), e = gsl_vector_view_array(ea, 4);
  nn_linalg_matvec(&W.matrix, &x.vector, &e.vector);
  NNG_REQUIRE_SUCCESS(nng_ex1_matvec(&W.matrix, &x.vector, &y.vector), "ex1_matvec");
  NNG_EXPECT_VECTOR_CLOSE("ex1_matvec with W of 4x3", &y.vector, &e.vector, 1e-12);
}

static void
matvec_of_a_wide_matrix(void **state)
{
  (void) state;
  double Wa[2 * 6], xa[6], ya[2] = {NAN, NAN}, ea[2];
  nng_fill_uniform(Wa, 12, -3.0, 3.0, 31);
  nng_fill_uniform(xa, 6, -3.0, 3.0, 32);
  gsl_matrix_view W = gsl_matrix_view_array(Wa, 2, 6);
  gsl_vector_view x = gsl_vector_view_array(xa, 6);
  gsl_vector_view y = gsl_vector_view_array(ya, 2), e = gsl_vector_view_array(ea, 2);
  nn_linalg_matvec(&W.matrix, &x.vector, &e.vector);
  NNG_REQUIRE_SUCCESS(nng_ex1_matvec(&W.matrix, &x.vector, &y.vector), "ex1_matvec");
  NNG_EXPECT_VECTOR_CLOSE("ex1_matvec with W of 2x6", &y.vector, &e.vector, 1e-12);
}

static void
matvec_rejects_shapes_that_do_not_fit(void **state)
{
  (void) state;
  double Wa[6] = {1, 2, 3, 4, 5, 6}, xa[3] = {1, 1, 1}, ya[3] = {7.5, 8.5, 9.5};
  gsl_matrix_view W = gsl_matrix_view_array(Wa, 2, 3);
  gsl_vector_view x2 = gsl_vector_view_array(xa, 2), x3 = gsl_vector_view_array(xa, 3);
  gsl_vector_view y2 = gsl_vector_view_array(ya, 2), y3 = gsl_vector_view_array(ya, 3);
  NNG_EXPECT_STATUS(nng_ex1_matvec(&W.matrix, &x2.vector, &y2.vector), GSL_EBADLEN,
                    "ex1_matvec", "W of 2x3 and x of 2 entries");
  NNG_EXPECT_STATUS(nng_ex1_matvec(&W.matrix, &x3.vector, &y3.vector), GSL_EBADLEN,
                    "ex1_matvec", "W of 2x3 and y of 3 entries");
  NNG_EXPECT_TRUE(ya[0] == 7.5 && ya[1] == 8.5 && ya[2] == 9.5,
                  "ex1_matvec changed y although the shapes did not fit: "
                  "y = (%g, %g, %g), it was (7.5, 8.5, 9.5).", ya[0], ya[1], ya[2]);
}

/* ===== ex1_central_difference ===== */

static void
central_difference_of_the_quadratic(void **state)
{
  (void) state;
  /* f(x) = 3x² - 3x + 4: the central difference is exact on a quadratic. */
  double ca[] = {4.0, -3.0, 3.0}, r = NAN;
  gsl_vector_view c = gsl_vector_view_array(ca, 3);
  NNG_REQUIRE_SUCCESS(nng_ex1_central_difference(NNG_FN_POLY, &c.vector, 0.5, 1e-3,
                                                 &r, NULL),
                      "ex1_central_difference");
  NNG_EXPECT_CLOSE("central difference of 3x²-3x+4 at x = 0.5 (h = 1e-3)", r, 0.0, 1e-9);
  r = NAN;
  NNG_REQUIRE_SUCCESS(nng_ex1_central_difference(NNG_FN_POLY, &c.vector, 2.385, 1e-3,
                                                 &r, NULL),
                      "ex1_central_difference");
  NNG_EXPECT_CLOSE("central difference of 3x²-3x+4 at x = 2.385 (h = 1e-3)", r,
                   6 * 2.385 - 3, 1e-9);
}

static double
sin_shifted(double x, void *params)
{
  const double *p = params;
  return sin(p[0] * x + p[1]);
}

static void
central_difference_follows_the_formula(void **state)
{
  (void) state;
  /* With a large step the formula's own error is large, so only the central
   * difference itself (not a better derivative) gives this number. */
  double pa[] = {1.7, 0.3}, r = NAN, expected;
  gsl_vector_view p = gsl_vector_view_array(pa, 2);
  gsl_function f = {sin_shifted, pa};
  nn_deriv_central(&f, 0.8, 0.25, &expected);
  NNG_REQUIRE_SUCCESS(nng_ex1_central_difference(NNG_FN_SIN, &p.vector, 0.8, 0.25,
                                                 &r, NULL),
                      "ex1_central_difference");
  NNG_EXPECT_CLOSE("central difference of sin(1.7x + 0.3) at x = 0.8 with h = 0.25",
                   r, expected, 1e-12);
}

static void
central_difference_rejects_bad_steps(void **state)
{
  (void) state;
  double pa[] = {1.0}, r = 42.0;
  gsl_vector_view p = gsl_vector_view_array(pa, 1);
  const double steps[] = {0.0, -1e-3, NAN, INFINITY};
  const char *names[] = {"h = 0", "h = -0.001", "h = NaN", "h = infinity"};
  for (size_t k = 0; k < 4; k++) {
    NNG_EXPECT_STATUS(nng_ex1_central_difference(NNG_FN_EXP, &p.vector, 0.5, steps[k],
                                                 &r, NULL),
                      GSL_EDOM, "ex1_central_difference", names[k]);
    NNG_EXPECT_CLOSE("the result after the error (it must be left as it was)", r,
                     42.0, 0.0);
  }
}

/* ===== ex1_poly_derivative ===== */

static void
poly_derivative_of_the_quadratic(void **state)
{
  (void) state;
  double ca[] = {4.0, -3.0, 3.0}, da[] = {NAN, NAN, NAN}, ea[] = {-3.0, 6.0, 0.0};
  gsl_vector_view c = gsl_vector_view_array(ca, 3), d = gsl_vector_view_array(da, 3);
  gsl_vector_view e = gsl_vector_view_array(ea, 3);
  NNG_REQUIRE_SUCCESS(nng_ex1_poly_derivative(&c.vector, &d.vector),
                      "ex1_poly_derivative");
  NNG_EXPECT_VECTOR_CLOSE("derivative of 3x²-3x+4, coefficients (4, -3, 3)",
                          &d.vector, &e.vector, 1e-15);
}

static void
poly_derivative_of_degree_six(void **state)
{
  (void) state;
  double ca[7], da[7], ea[7];
  nng_fill_uniform(ca, 7, -3.0, 3.0, 41);
  for (size_t i = 0; i < 7; i++)
    da[i] = NAN;
  gsl_vector_view c = gsl_vector_view_array(ca, 7), d = gsl_vector_view_array(da, 7);
  gsl_vector_view e = gsl_vector_view_array(ea, 7);
  nn_poly_derivative(&c.vector, &e.vector);
  NNG_REQUIRE_SUCCESS(nng_ex1_poly_derivative(&c.vector, &d.vector),
                      "ex1_poly_derivative");
  NNG_EXPECT_VECTOR_CLOSE("derivative of a polynomial of degree 6", &d.vector,
                          &e.vector, 1e-14);
}

static void
poly_derivative_of_a_constant(void **state)
{
  (void) state;
  double ca[] = {2.385}, da[] = {NAN}, ea[] = {0.0};
  gsl_vector_view c = gsl_vector_view_array(ca, 1), d = gsl_vector_view_array(da, 1);
  gsl_vector_view e = gsl_vector_view_array(ea, 1);
  NNG_REQUIRE_SUCCESS(nng_ex1_poly_derivative(&c.vector, &d.vector),
                      "ex1_poly_derivative");
  NNG_EXPECT_VECTOR_CLOSE("derivative of the constant 2.385", &d.vector, &e.vector, 0.0);
}

static void
poly_derivative_rejects_sizes_that_differ(void **state)
{
  (void) state;
  double ca[] = {1.0, 2.0, 3.0}, da[] = {5.5, 6.5};
  gsl_vector_view c = gsl_vector_view_array(ca, 3), d = gsl_vector_view_array(da, 2);
  NNG_EXPECT_STATUS(nng_ex1_poly_derivative(&c.vector, &d.vector), GSL_EBADLEN,
                    "ex1_poly_derivative", "c of 3 coefficients and dc of 2");
  NNG_EXPECT_TRUE(da[0] == 5.5 && da[1] == 6.5,
                  "ex1_poly_derivative changed dc although the sizes did not fit: "
                  "dc = (%g, %g), it was (5.5, 6.5).", da[0], da[1]);
}

const nng_test nng_ex01_tests[] = {
  {"dot_multiplies_then_sums", dot_multiplies_then_sums, "ex1_dot", 1,
   "Add up x_i * y_i for every i; start the sum at 0."},
  {"dot_of_orthogonal_vectors_is_zero", dot_of_orthogonal_vectors_is_zero, "ex1_dot", 1,
   "Perpendicular vectors have a dot product of exactly 0."},
  {"dot_rejects_lengths_that_differ", dot_rejects_lengths_that_differ, "ex1_dot", 1,
   "Compare x->size with y->size before you read any entry; return GSL_EBADLEN "
   "and do not write *result."},
  {"matvec_is_stacked_dot_products", matvec_is_stacked_dot_products, "ex1_matvec", 1,
   "y_i is the dot product of row i of W with x: a loop over i around a loop over j."},
  {"matvec_of_a_wide_matrix", matvec_of_a_wide_matrix, "ex1_matvec", 1,
   "W->size1 is the number of rows (entries of y), W->size2 the number of "
   "columns (entries of x)."},
  {"matvec_rejects_shapes_that_do_not_fit", matvec_rejects_shapes_that_do_not_fit,
   "ex1_matvec", 1,
   "Check W->size2 == x->size and W->size1 == y->size before writing y."},
  {"central_difference_of_the_quadratic", central_difference_of_the_quadratic,
   "ex1_central_difference", 1,
   "Evaluate the function with GSL_FN_EVAL(f, x + h) and GSL_FN_EVAL(f, x - h)."},
  {"central_difference_follows_the_formula", central_difference_follows_the_formula,
   "ex1_central_difference", 1,
   "Divide by 2h, not by h: the two points are 2h apart."},
  {"central_difference_rejects_bad_steps", central_difference_rejects_bad_steps,
   "ex1_central_difference", 1,
   "!(h > 0) is true for 0, negative numbers and NaN; isfinite(h) rules out "
   "infinity. Return GSL_EDOM for those."},
  {"poly_derivative_of_the_quadratic", poly_derivative_of_the_quadratic,
   "ex1_poly_derivative", 1,
   "The power rule: the coefficient of x^k in p' is (k+1) c_(k+1); the last one is 0."},
  {"poly_derivative_of_degree_six", poly_derivative_of_degree_six,
   "ex1_poly_derivative", 1,
   "Loop over every coefficient but the last, then set the last one to 0."},
  {"poly_derivative_of_a_constant", poly_derivative_of_a_constant,
   "ex1_poly_derivative", 1,
   "A polynomial of one coefficient is a constant: its derivative is 0."},
  {"poly_derivative_rejects_sizes_that_differ", poly_derivative_rejects_sizes_that_differ,
   "ex1_poly_derivative", 1,
   "Check c->size == dc->size (and c->size > 0) before writing dc."},
  {NULL, NULL, NULL, 0, NULL},
};
