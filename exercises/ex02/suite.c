/* SPDX-License-Identifier: GPL-3.0-or-later */
/* suite-ex02.c: the public tests of exercise 2.
 *
 * Each test sends its inputs to the student's function in the probe and
 * compares the answer with the library's (lib/), which is the reference:
 * nn_perceptron_* for the weighted sum and the learning rule,
 * nn_activation_* for the activations, and central differences through
 * nn_gradcheck for the derivatives. Inputs live in arrays on the stack, and
 * the library's objects are freed before the student's answer is judged,
 * so a failing test leaks nothing.
 */
#include <config.h>

#include <math.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include <nn/activation.h>
#include <nn/deriv.h>
#include <nn/gradcheck.h>
#include <nn/perceptron.h>

#include "exercises.h"
#include "remote-ex02.h"
#include "testkit.h"

/* How many kinds ex2_activation has. */
#define NNG_EX2_N_KINDS (EX2_LEAKY_RELU + 1)

/* The library's kind for each value of ex2_activation, and its name. */
static const nn_activation_kind lib_kind[NNG_EX2_N_KINDS] = {
  [EX2_STEP] = NN_ACTIVATION_STEP,
  [EX2_SIGMOID] = NN_ACTIVATION_SIGMOID,
  [EX2_TANH] = NN_ACTIVATION_TANH,
  [EX2_RELU] = NN_ACTIVATION_RELU,
  [EX2_LEAKY_RELU] = NN_ACTIVATION_LEAKY_RELU,
};
static const char *const kind_name[NNG_EX2_N_KINDS] = {
  "EX2_STEP", "EX2_SIGMOID", "EX2_TANH", "EX2_RELU", "EX2_LEAKY_RELU"
};

/* ===== ex2_weighted_sum ===== */

/* The library's w0 + wᵀx. */
static double
library_sum(const double *w, double w0, const double *x, size_t n)
{
  nn_perceptron *p = nn_perceptron_alloc(n);
  for (size_t i = 0; i < n; i++)
    gsl_vector_set(p->w, i, w[i]);
  p->w0 = w0;
  gsl_vector_const_view xv = gsl_vector_const_view_array(x, n);
  double z = NAN;
  nn_perceptron_sum(p, &xv.vector, &z);
  nn_perceptron_free(p);
  return z;
}

static void
weighted_sum_adds_the_bias(void **state)
{
  (void) state;
  double wa[6], xa[6], z = NAN;
  nng_fill_uniform(wa, 6, -3.0, 3.0, 201);
  nng_fill_uniform(xa, 6, -3.0, 3.0, 202);
  const double expected = library_sum(wa, 2.385, xa, 6);
  gsl_vector_view w = gsl_vector_view_array(wa, 6), x = gsl_vector_view_array(xa, 6);
  NNG_REQUIRE_SUCCESS(nng_ex2_weighted_sum(&w.vector, 2.385, &x.vector, &z),
                      "ex2_weighted_sum");
  NNG_EXPECT_CLOSE("ex2_weighted_sum with 6 inputs and w0 = 2.385", z, expected, 1e-12);
  /* the bias alone: with w = 0 the sum is w0 */
  double za[6] = {0, 0, 0, 0, 0, 0};
  gsl_vector_view w_zero = gsl_vector_view_array(za, 6);
  z = NAN;
  NNG_REQUIRE_SUCCESS(nng_ex2_weighted_sum(&w_zero.vector, -1.75, &x.vector, &z),
                      "ex2_weighted_sum");
  NNG_EXPECT_CLOSE("ex2_weighted_sum with w = 0 and w0 = -1.75", z, -1.75, 0.0);
}

static void
weighted_sum_rejects_lengths_that_differ(void **state)
{
  (void) state;
  double wa[] = {1.25, -2.5, 3.75}, xa[] = {0.5, 4.0}, z = 42.0;
  gsl_vector_view w = gsl_vector_view_array(wa, 3), x = gsl_vector_view_array(xa, 2);
  NNG_EXPECT_STATUS(nng_ex2_weighted_sum(&w.vector, 0.5, &x.vector, &z), GSL_EBADLEN,
                    "ex2_weighted_sum", "w of 3 entries and x of 2");
  NNG_EXPECT_CLOSE("z after the error (it must be left as it was)", z, 42.0, 0.0);
}

/* ===== ex2_activate and ex2_activate_deriv ===== */

/* Send z (n entries) to the student's activation (deriv = 0) or derivative
 * (deriv = 1) of KIND and compare with the library entry by entry. */
static void
expect_activation(int deriv, int kind, double slope, const double *za, size_t n,
                  double tol)
{
  double ea[16], aa[16];
  for (size_t i = 0; i < n; i++) {
    ea[i] = deriv ? nn_activation_deriv(lib_kind[kind], slope, za[i])
                  : nn_activation_eval(lib_kind[kind], slope, za[i]);
    aa[i] = NAN;
  }
  gsl_vector_const_view z = gsl_vector_const_view_array(za, n);
  gsl_vector_view a = gsl_vector_view_array(aa, n), e = gsl_vector_view_array(ea, n);
  const char *function = deriv ? "ex2_activate_deriv" : "ex2_activate";
  int status = deriv ? nng_ex2_activate_deriv(kind, slope, &z.vector, &a.vector)
                     : nng_ex2_activate(kind, slope, &z.vector, &a.vector);
  NNG_REQUIRE_SUCCESS(status, function);
  char what[128];
  snprintf(what, sizeof what, "%s(%s%s, z)", function, kind_name[kind],
           kind == EX2_LEAKY_RELU ? ", slope" : "");
  NNG_EXPECT_VECTOR_CLOSE(what, &a.vector, &e.vector, tol);
}

static void
step_and_relu_around_zero(void **state)
{
  (void) state;
  /* step(0) = 1 and relu(0) = 0: the conventions of exercise2.h */
  const double za[] = {-2.385, -1e-9, 0.0, 1e-9, 2.385};
  expect_activation(0, EX2_STEP, 0.0, za, 5, 0.0);
  expect_activation(0, EX2_RELU, 0.0, za, 5, 0.0);
}

static void
sigmoid_and_tanh_never_overflow(void **state)
{
  (void) state;
  const double za[] = {-800.0, -20.0, -2.385, -0.5, 0.0, 0.5, 2.385, 20.0, 800.0};
  expect_activation(0, EX2_SIGMOID, 0.0, za, 9, 1e-14);
  expect_activation(0, EX2_TANH, 0.0, za, 9, 1e-14);
}

static void
leaky_relu_uses_its_slope(void **state)
{
  (void) state;
  const double za[] = {-3.0, -0.5, 0.0, 1.25, 4.0};
  expect_activation(0, EX2_LEAKY_RELU, 0.2, za, 5, 1e-15);
  expect_activation(0, EX2_LEAKY_RELU, 0.0, za, 5, 1e-15);
}

/* The checks of ex2_activate and ex2_activate_deriv: lengths that differ,
 * a leaky slope outside [0, 1), an unknown kind; nothing written. */
static void
expect_activation_errors(int deriv)
{
  const char *function = deriv ? "ex2_activate_deriv" : "ex2_activate";
  double za[] = {0.5, -1.5, 2.5}, aa[] = {7.5, 8.5, 9.5};
  gsl_vector_view z3 = gsl_vector_view_array(za, 3), a2 = gsl_vector_view_array(aa, 2);
  gsl_vector_view a3 = gsl_vector_view_array(aa, 3);
  const struct {
    int kind;
    double slope;
    gsl_vector *out;
    int expected;
    const char *situation;
  } cases[] = {
    {EX2_SIGMOID, 0.0, &a2.vector, GSL_EBADLEN, "z of 3 entries and an output of 2"},
    {EX2_LEAKY_RELU, 1.0, &a3.vector, GSL_EDOM, "a leaky ReLU of slope 1"},
    {EX2_LEAKY_RELU, -0.1, &a3.vector, GSL_EDOM, "a leaky ReLU of slope -0.1"},
    {EX2_LEAKY_RELU, NAN, &a3.vector, GSL_EDOM, "a leaky ReLU of slope NaN"},
    {NNG_EX2_N_KINDS + 2, 0.0, &a3.vector, GSL_EINVAL, "the unknown kind 7"},
    {-1, 0.0, &a3.vector, GSL_EINVAL, "the unknown kind -1"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    int status = deriv ? nng_ex2_activate_deriv(cases[k].kind, cases[k].slope,
                                                &z3.vector, cases[k].out)
                       : nng_ex2_activate(cases[k].kind, cases[k].slope, &z3.vector,
                                          cases[k].out);
    NNG_EXPECT_STATUS(status, cases[k].expected, function, cases[k].situation);
    NNG_EXPECT_TRUE(aa[0] == 7.5 && aa[1] == 8.5 && aa[2] == 9.5,
                    "%s changed its output although it reported an error (%s): "
                    "(%g, %g, %g), it was (7.5, 8.5, 9.5).", function,
                    cases[k].situation, aa[0], aa[1], aa[2]);
  }
}

static void
activate_rejects_bad_arguments(void **state)
{
  (void) state;
  expect_activation_errors(0);
}

static void
derivatives_match_the_formulas(void **state)
{
  (void) state;
  /* 0 included: the derivative on the left of the kink */
  const double za[] = {-4.5, -2.385, -1.0, -0.25, 0.0, 0.25, 1.0, 2.385, 4.5};
  for (int kind = 0; kind < NNG_EX2_N_KINDS; kind++)
    expect_activation(1, kind, 0.3, za, 9, 1e-14);
}

/* g(z) of the library, for central differences: params is the kind and slope. */
struct activation_spec {
  nn_activation_kind kind;
  double slope;
};

static double
library_activation(double z, void *params)
{
  const struct activation_spec *s = params;
  return nn_activation_eval(s->kind, s->slope, z);
}

static void
derivatives_pass_a_gradient_check(void **state)
{
  (void) state;
  /* away from the kink at 0, where central differences see no jump */
  const double za[] = {-3.7, -2.385, -1.2, -0.45, -0.05, 0.05, 0.45, 1.2, 2.385, 3.7};
  enum { N = sizeof za / sizeof za[0] };
  static const int kinds[] = {EX2_SIGMOID, EX2_TANH, EX2_RELU,
                              EX2_LEAKY_RELU};
  for (size_t k = 0; k < 4; k++) {
    struct activation_spec spec = {lib_kind[kinds[k]], 0.3};
    gsl_function g = {library_activation, &spec};
    double da[N], na[N];
    for (size_t i = 0; i < N; i++) {
      da[i] = NAN;
      nn_deriv_central(&g, za[i], NN_GRADCHECK_STEP, &na[i]);
    }
    gsl_vector_const_view z = gsl_vector_const_view_array(za, N);
    gsl_vector_view d = gsl_vector_view_array(da, N), n = gsl_vector_view_array(na, N);
    NNG_REQUIRE_SUCCESS(nng_ex2_activate_deriv(kinds[k], 0.3, &z.vector, &d.vector),
                        "ex2_activate_deriv");
    double error = 1.0;
    size_t worst = 0;
    int status = nn_gradcheck_relative_error(&error, &worst, &d.vector, &n.vector);
    NNG_EXPECT_TRUE(status != GSL_EFAILED,
                    "ex2_activate_deriv(%s) returned only zeros: a gradient check "
                    "cannot pass on zeros.", kind_name[kinds[k]]);
    NNG_EXPECT_TRUE(status == GSL_SUCCESS && error < 1e-7,
                    "ex2_activate_deriv(%s) against central differences: relative "
                    "error %.3g (it must be below 1e-7); the worst is at z = %g, "
                    "where you say %.12g and (g(z+h) - g(z-h))/2h says %.12g.",
                    kind_name[kinds[k]], error, za[worst], da[worst], na[worst]);
  }
}

static void
activate_deriv_rejects_bad_arguments(void **state)
{
  (void) state;
  expect_activation_errors(1);
}

/* ===== ex2_perceptron_update ===== */

/* One step of the library's rule on (w, w0), in place; returns the mistake. */
static int
library_update(double *w, double *w0, const double *x, double y, double lr, size_t n)
{
  nn_perceptron *p = nn_perceptron_alloc(n);
  for (size_t i = 0; i < n; i++)
    gsl_vector_set(p->w, i, w[i]);
  p->w0 = *w0;
  gsl_vector_const_view xv = gsl_vector_const_view_array(x, n);
  int mistake = -1;
  nn_perceptron_update(p, &xv.vector, y, lr, &mistake);
  for (size_t i = 0; i < n; i++)
    w[i] = gsl_vector_get(p->w, i);
  *w0 = p->w0;
  nn_perceptron_free(p);
  return mistake;
}

/* The student's step from (wa, w0) on (x, y) against the library's. */
static void
expect_update(const double *wa, double w0, const double *xa, double y, double lr,
              size_t n, const char *situation)
{
  double ew[8], sw[8], ew0 = w0, sw0 = w0;
  for (size_t i = 0; i < n; i++)
    ew[i] = sw[i] = wa[i];
  int expected_mistake = library_update(ew, &ew0, xa, y, lr, n);
  int mistake = -1;
  gsl_vector_view w = gsl_vector_view_array(sw, n), e = gsl_vector_view_array(ew, n);
  gsl_vector_const_view x = gsl_vector_const_view_array(xa, n);
  NNG_REQUIRE_SUCCESS(nng_ex2_perceptron_update(&w.vector, &sw0, &x.vector, y, lr,
                                                &mistake),
                      "ex2_perceptron_update");
  char what[192];
  snprintf(what, sizeof what, "w after ex2_perceptron_update (%s)", situation);
  NNG_EXPECT_VECTOR_CLOSE(what, &w.vector, &e.vector, 1e-14);
  snprintf(what, sizeof what, "w0 after ex2_perceptron_update (%s)", situation);
  NNG_EXPECT_CLOSE(what, sw0, ew0, 1e-14);
  NNG_EXPECT_TRUE(mistake == expected_mistake,
                  "ex2_perceptron_update (%s): *mistake is %d, expected %d.",
                  situation, mistake, expected_mistake);
}

static void
perceptron_update_learns_from_a_mistake(void **state)
{
  (void) state;
  /* w0 + wᵀx = -1.05 < 0: says 0, the label is 1 */
  const double w[] = {0.5, -1.25, 2.0}, x[] = {1.5, 2.385, 0.6};
  expect_update(w, 0.5, x, 1.0, 0.25, 3, "it said 0 for a 1");
  /* w0 + wᵀx > 0: says 1, the label is 0 */
  const double w2[] = {0.75, 1.25}, x2[] = {2.385, -0.5};
  expect_update(w2, 0.1, x2, 0.0, 0.5, 2, "it said 1 for a 0");
}

static void
perceptron_update_keeps_a_right_answer(void **state)
{
  (void) state;
  const double w[] = {0.5, -1.25, 2.0}, x[] = {1.5, -2.385, 0.6};
  expect_update(w, -0.5, x, 1.0, 0.25, 3, "it said 1 for a 1");
  const double x0[] = {-1.5, 2.385, -0.6};
  expect_update(w, -0.5, x0, 0.0, 0.25, 3, "it said 0 for a 0");
}

static void
perceptron_update_says_one_at_zero(void **state)
{
  (void) state;
  /* w0 + wᵀx = 0.5 + 2.5 - 3 = 0 exactly: step(0) = 1, wrong for the label 0 */
  const double w[] = {1.0, -1.0}, x[] = {2.5, 3.0};
  expect_update(w, 0.5, x, 0.0, 0.75, 2, "the sum is exactly 0 and the label 0");
}

static void
perceptron_update_rejects_bad_arguments(void **state)
{
  (void) state;
  double wa[] = {1.5, -2.5, 0.25}, xa[] = {1.0, 2.0, 3.0}, w0 = 4.5;
  int mistake = 42;
  gsl_vector_view w = gsl_vector_view_array(wa, 3);
  gsl_vector_view x2 = gsl_vector_view_array(xa, 2), x3 = gsl_vector_view_array(xa, 3);
  const struct {
    const gsl_vector *x;
    double y, lr;
    int expected;
    const char *situation;
  } cases[] = {
    {&x2.vector, 1.0, 0.1, GSL_EBADLEN, "w of 3 entries and x of 2"},
    {&x3.vector, 1.0, 0.0, GSL_EDOM, "lr = 0"},
    {&x3.vector, 1.0, -0.1, GSL_EDOM, "lr = -0.1"},
    {&x3.vector, 1.0, NAN, GSL_EDOM, "lr = NaN"},
    {&x3.vector, 1.0, INFINITY, GSL_EDOM, "lr = infinity"},
    {&x3.vector, 0.5, 0.1, GSL_EDOM, "the label y = 0.5"},
    {&x3.vector, -1.0, 0.1, GSL_EDOM, "the label y = -1"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    NNG_EXPECT_STATUS(nng_ex2_perceptron_update(&w.vector, &w0, cases[k].x, cases[k].y,
                                                cases[k].lr, &mistake),
                      cases[k].expected, "ex2_perceptron_update", cases[k].situation);
    NNG_EXPECT_TRUE(wa[0] == 1.5 && wa[1] == -2.5 && wa[2] == 0.25 && w0 == 4.5
                    && mistake == 42,
                    "ex2_perceptron_update changed its outputs although it reported "
                    "an error (%s): w = (%g, %g, %g), w0 = %g, mistake = %d; they were "
                    "(1.5, -2.5, 0.25), 4.5 and 42.", cases[k].situation, wa[0], wa[1],
                    wa[2], w0, mistake);
  }
}

static void
perceptron_learns_the_and_gate(void **state)
{
  (void) state;
  /* AND: only (1, 1) is 1. A line separates it, so the rule converges:
   * epochs over the four samples until one makes no mistake. */
  const double X[4][2] = {{0, 0}, {0, 1}, {1, 0}, {1, 1}}, Y[4] = {0, 0, 0, 1};
  const double lr = 0.3;
  double sw[2] = {-0.4, 0.9}, sw0 = 0.2, ew[2] = {-0.4, 0.9}, ew0 = 0.2;
  gsl_vector_view w = gsl_vector_view_array(sw, 2), e = gsl_vector_view_array(ew, 2);
  int clean = 0;
  for (int epoch = 1; epoch <= 50 && !clean; epoch++) {
    int mistakes = 0;
    for (size_t i = 0; i < 4; i++) {
      int expected_mistake = library_update(ew, &ew0, X[i], Y[i], lr, 2);
      int mistake = -1;
      gsl_vector_const_view x = gsl_vector_const_view_array(X[i], 2);
      NNG_REQUIRE_SUCCESS(nng_ex2_perceptron_update(&w.vector, &sw0, &x.vector, Y[i],
                                                    lr, &mistake),
                          "ex2_perceptron_update");
      char what[128];
      snprintf(what, sizeof what, "w in epoch %d after the sample (%g, %g)", epoch,
               X[i][0], X[i][1]);
      NNG_EXPECT_VECTOR_CLOSE(what, &w.vector, &e.vector, 1e-12);
      snprintf(what, sizeof what, "w0 in epoch %d after the sample (%g, %g)", epoch,
               X[i][0], X[i][1]);
      NNG_EXPECT_CLOSE(what, sw0, ew0, 1e-12);
      NNG_EXPECT_TRUE(mistake == expected_mistake, "epoch %d, sample (%g, %g): "
                      "*mistake is %d, expected %d.", epoch, X[i][0], X[i][1], mistake,
                      expected_mistake);
      mistakes += mistake;
    }
    clean = mistakes == 0;
  }
  NNG_EXPECT_TRUE(clean, "The perceptron did not learn AND in 50 epochs.");
}

const nng_test nng_ex02_tests[] = {
  {"weighted_sum_adds_the_bias", weighted_sum_adds_the_bias, "ex2_weighted_sum", 1,
   "Start the sum at w0, then add w_i * x_i for every i."},
  {"weighted_sum_rejects_lengths_that_differ", weighted_sum_rejects_lengths_that_differ,
   "ex2_weighted_sum", 1,
   "Compare w->size with x->size before reading any entry; return GSL_EBADLEN and "
   "do not write *z."},
  {"step_and_relu_around_zero", step_and_relu_around_zero, "ex2_activate", 1,
   "step(z) is 1 for z >= 0 (zero included) and 0 below; relu(z) is z for z > 0 "
   "and 0 otherwise."},
  {"sigmoid_and_tanh_never_overflow", sigmoid_and_tanh_never_overflow, "ex2_activate", 1,
   "Use 1 / (1 + exp(-z)) for the sigmoid and tanh() from <math.h>: formulas with "
   "exp(z) on top give infinity / infinity = NaN at z = 800."},
  {"leaky_relu_uses_its_slope", leaky_relu_uses_its_slope, "ex2_activate", 1,
   "For z <= 0 the leaky ReLU is slope * z; for z > 0 it is z."},
  {"activate_rejects_bad_arguments", activate_rejects_bad_arguments, "ex2_activate", 1,
   "Check before writing: the kind (GSL_EINVAL unless it is one of the five), the "
   "slope of a leaky ReLU (GSL_EDOM unless 0 <= slope < 1; !(slope >= 0 && slope < 1) "
   "also catches NaN), then the sizes (GSL_EBADLEN)."},
  {"derivatives_match_the_formulas", derivatives_match_the_formulas,
   "ex2_activate_deriv", 1,
   "sigmoid' = s (1 - s) with s the sigmoid; tanh' = 1 - tanh²; relu' is 1 for z > 0 "
   "else 0; the leaky ReLU's is 1 for z > 0 else the slope; the step's is 0, even at 0."},
  {"derivatives_pass_a_gradient_check", derivatives_pass_a_gradient_check,
   "ex2_activate_deriv", 1,
   "Your derivative must agree with (g(z+h) - g(z-h)) / 2h to about 7 digits: check "
   "the formula of the activation named in the message, and that it is g' and not g."},
  {"activate_deriv_rejects_bad_arguments", activate_deriv_rejects_bad_arguments,
   "ex2_activate_deriv", 1,
   "The same checks as in ex2_activate, in the same order, before writing d."},
  {"perceptron_update_learns_from_a_mistake", perceptron_update_learns_from_a_mistake,
   "ex2_perceptron_update", 1,
   "Predict ŷ = step(w0 + wᵀx) with the weights before the step, then w_i += "
   "lr (y - ŷ) x_i and w0 += lr (y - ŷ); *mistake = 1."},
  {"perceptron_update_keeps_a_right_answer",
   perceptron_update_keeps_a_right_answer, "ex2_perceptron_update", 1,
   "When ŷ == y nothing moves, and *mistake = 0."},
  {"perceptron_update_says_one_at_zero", perceptron_update_says_one_at_zero,
   "ex2_perceptron_update", 1,
   "A sum of exactly 0 predicts 1 (z >= 0), as step(0) = 1."},
  {"perceptron_update_rejects_bad_arguments", perceptron_update_rejects_bad_arguments,
   "ex2_perceptron_update", 1,
   "Check the sizes (GSL_EBADLEN), then lr (GSL_EDOM unless finite and > 0) and y "
   "(GSL_EDOM unless 0 or 1), all before changing w, *w0 or *mistake."},
  {"perceptron_learns_the_and_gate", perceptron_learns_the_and_gate,
   "ex2_perceptron_update", 1,
   "If the single steps pass, this one follows: it repeats them over the four "
   "inputs of AND until an epoch makes no mistake."},
  {NULL, NULL, NULL, 0, NULL},
};
