/* SPDX-License-Identifier: GPL-3.0-or-later */
/* suite-ex09.c: the public tests of exercise 9.
 *
 * Each test sends its inputs to the student's function in the probe and
 * compares the answer with the library's (lib/), which is the reference:
 * nn_optim_step of nn/optim.h takes the same steps (MOMENTUM, RMSPROP, ADAM;
 * SGD for a momentum of 0) and nn_optim_clip_grad_norm clips the same way,
 * both in torch.optim's order of operations. The library keeps its state
 * inside its optimizer; the tests copy the student's state in and out of it
 * (the fields state[] and t of nn_optim) and free the optimizer before any
 * judgement, so a failing test leaks nothing. Adam's first step is checked
 * from first principles too: lr·g / (|g| + eps), lr·sign(g) up to eps. The
 * ranges are the library's, but for a momentum of 0, which the exercise
 * allows (plain SGD: the library's SGD is the reference then).
 */
#include <config.h>

#include <math.h>
#include <gsl/gsl_errno.h>

#include <nn/optim.h>

#include "exercises.h"
#include "remote-ex09.h"
#include "testkit.h"

/* ===== The library's steps ===== */

/* The hyper-parameters of one optimizer as the exercise names them. */
typedef struct hyper {
  double lr, mu, alpha, beta1, beta2, eps;
} hyper;

/* One step of the library's optimizer KIND from the state (s0, s1; s1 only
 * for Adam's v) at step number T, on theta (N entries) with gradient G: theta,
 * s0 and s1 are updated in place. */
static void
reference_step(nn_optim_kind kind, const hyper *h, size_t t, double *theta, double *s0,
               double *s1, const double *g, size_t n)
{
  if (kind == NN_OPTIM_MOMENTUM && h->mu == 0.0)
    kind = NN_OPTIM_SGD;  /* b = g and θ ← θ − lr g: the library's plain SGD */
  nn_optim_options o = nn_optim_defaults(kind);
  o.lr = h->lr;
  o.momentum = h->mu;
  o.alpha = h->alpha;
  o.beta1 = h->beta1;
  o.beta2 = h->beta2;
  o.eps = h->eps;
  nn_optim *opt = nn_optim_alloc(kind, n, &o);
  assert_non_null(opt);
  for (size_t k = 0; k < opt->n_state; k++)
    for (size_t i = 0; i < n; i++)
      gsl_vector_set(opt->state[k], i, (k == 0 ? s0 : s1)[i]);
  opt->t = t - 1;  /* the step to take is number t */
  gsl_vector_view th = gsl_vector_view_array(theta, n);
  gsl_vector_const_view gv = gsl_vector_const_view_array(g, n);
  int status = nn_optim_step(opt, &th.vector, &gv.vector);
  for (size_t k = 0; k < opt->n_state; k++)
    for (size_t i = 0; i < n; i++)
      (k == 0 ? s0 : s1)[i] = gsl_vector_get(opt->state[k], i);
  if (kind == NN_OPTIM_SGD)
    for (size_t i = 0; i < n; i++)
      s0[i] = g[i];  /* the velocity with mu = 0 */
  nn_optim_free(opt);
  assert_int_equal(status, GSL_SUCCESS);
}

/* ===== A convex quadratic to descend =====
 *
 * f(θ) = ½ Σ a_i (θ_i − c_i)², ∇f = a ⊙ (θ − c): a bowl, narrower along the
 * last axes. Every optimizer of the exercise must walk down it. */

#define N 4
#define STEPS 25

static const double bowl_a[N] = {0.5, 1.0, 2.5, 4.0};
static const double bowl_c[N] = {1.25, -0.75, 0.5, -2.385};

static double
bowl(const double *theta)
{
  double f = 0.0;
  for (size_t i = 0; i < N; i++)
    f += 0.5 * bowl_a[i] * (theta[i] - bowl_c[i]) * (theta[i] - bowl_c[i]);
  return f;
}

static void
bowl_gradient(const double *theta, double *g)
{
  for (size_t i = 0; i < N; i++)
    g[i] = bowl_a[i] * (theta[i] - bowl_c[i]);
}

/* The student's optimizer KIND: one step from (theta, s0, s1) at step t. */
static int
student_step(nn_optim_kind kind, const hyper *h, size_t t, double *theta, double *s0,
             double *s1, const double *g, size_t n)
{
  gsl_vector_view th = gsl_vector_view_array(theta, n), a = gsl_vector_view_array(s0, n);
  gsl_vector_view b = gsl_vector_view_array(s1 != NULL ? s1 : s0, n);
  gsl_vector_const_view gv = gsl_vector_const_view_array(g, n);
  switch (kind) {
  case NN_OPTIM_MOMENTUM:
    return nng_ex9_momentum_step(&th.vector, &a.vector, &gv.vector, h->lr, h->mu);
  case NN_OPTIM_RMSPROP:
    return nng_ex9_rmsprop_step(&th.vector, &a.vector, &gv.vector, h->lr, h->alpha,
                                h->eps);
  default:
    return nng_ex9_adam_step(&th.vector, &a.vector, &b.vector, &gv.vector, t, h->lr,
                             h->beta1, h->beta2, h->eps);
  }
}

static const char *
function_of(nn_optim_kind kind)
{
  return kind == NN_OPTIM_MOMENTUM ? "ex9_momentum_step"
         : kind == NN_OPTIM_RMSPROP ? "ex9_rmsprop_step" : "ex9_adam_step";
}

/* STEPS steps of the student's optimizer down the bowl from theta0 (each
 * gradient taken where the student's theta is), against the library's
 * steps from the same start: theta and the state after every step, and the
 * bowl lower at the end than at the start. When MAX_NORM is above 0 each
 * gradient is clipped first, by the student's ex9_clip_grad_norm and by the
 * library's. */
static void
compare_descents(nn_optim_kind kind, const hyper *h, const double *theta0,
                 double max_norm, const char *names)
{
  double eth[STEPS][N], es0[STEPS][N], es1[STEPS][N];
  double th[N], s0[N] = {0}, s1[N] = {0}, g[N];
  for (size_t i = 0; i < N; i++)
    th[i] = theta0[i];
  for (size_t t = 1; t <= STEPS; t++) {
    bowl_gradient(th, g);
    if (max_norm > 0) {
      gsl_vector_view gv = gsl_vector_view_array(g, N);
      nn_optim_clip_grad_norm(&gv.vector, max_norm, NULL);
    }
    reference_step(kind, h, t, th, s0, s1, g, N);
    for (size_t i = 0; i < N; i++) {
      eth[t - 1][i] = th[i];
      es0[t - 1][i] = s0[i];
      es1[t - 1][i] = s1[i];
    }
  }
  /* the student's walk, judged step by step */
  const char *fn = function_of(kind);
  for (size_t i = 0; i < N; i++) {
    th[i] = theta0[i];
    s0[i] = s1[i] = 0.0;
  }
  gsl_vector_view gv = gsl_vector_view_array(g, N);
  nng_show_input_vector("g", &gv.vector);
  for (size_t t = 1; t <= STEPS; t++) {
    double from[N];
    for (size_t i = 0; i < N; i++)
      from[i] = th[i];
    bowl_gradient(th, g);
    if (max_norm > 0)
      NNG_REQUIRE_SUCCESS(nng_ex9_clip_grad_norm(&gv.vector, max_norm, NULL),
                          "ex9_clip_grad_norm");
    NNG_REQUIRE_SUCCESS(student_step(kind, h, t, th, s0, s1, g, N), fn);
    char what[200];
    gsl_vector_view a = gsl_vector_view_array(th, N);
    gsl_vector_view e = gsl_vector_view_array(eth[t - 1], N);
    gsl_vector_view f = gsl_vector_view_array(from, N);
    snprintf(what, sizeof what, "theta after step %zu of %d down f(θ) = ½ Σ a_i (θ_i − "
             "c_i)²%s", t, STEPS, max_norm > 0 ? ", g clipped" : "");
    NNG_EXPECT_STEP_CLOSE(what, &a.vector, &e.vector, &f.vector, 1e-11);
    a = gsl_vector_view_array(s0, N);
    e = gsl_vector_view_array(es0[t - 1], N);
    snprintf(what, sizeof what, "%s after step %zu", names, t);
    NNG_EXPECT_VECTOR_CLOSE(what, &a.vector, &e.vector, 1e-11);
    if (kind == NN_OPTIM_ADAM) {
      a = gsl_vector_view_array(s1, N);
      e = gsl_vector_view_array(es1[t - 1], N);
      snprintf(what, sizeof what, "v after step %zu", t);
      NNG_EXPECT_VECTOR_CLOSE(what, &a.vector, &e.vector, 1e-11);
    }
  }
  NNG_EXPECT_TRUE(bowl(th) < 0.5 * bowl(theta0),
                  "%s did not walk down the bowl: f = %.6g after %d steps, %.6g at the "
                  "start.", fn, bowl(th), STEPS, bowl(theta0));
}

/* Vectors of the running test, the sizes of which it chooses. */
#define VIEW(name, array, n) gsl_vector_view name = gsl_vector_view_array((array), (n))

/* ===== ex9_momentum_step ===== */

static void
momentum_first_step_is_sgd(void **state)
{
  (void) state;
  double th[5], b[5] = {0}, g[5], eth[5], eb[5] = {0}, from[5];
  nng_fill_uniform(th, 5, -2, 2, 91);
  nng_fill_uniform(g, 5, -3, 3, 92);
  for (size_t i = 0; i < 5; i++)
    eth[i] = from[i] = th[i];
  const hyper h = {.lr = 0.05, .mu = 0.9};
  reference_step(NN_OPTIM_MOMENTUM, &h, 1, eth, eb, NULL, g, 5);
  VIEW(thv, th, 5);
  VIEW(bv, b, 5);
  VIEW(gv, g, 5);
  VIEW(ethv, eth, 5);
  VIEW(ebv, eb, 5);
  VIEW(fromv, from, 5);
  NNG_REQUIRE_SUCCESS(nng_ex9_momentum_step(&thv.vector, &bv.vector, &gv.vector, 0.05,
                                            0.9), "ex9_momentum_step");
  nng_show_input_vector("g", &gv.vector);
  NNG_EXPECT_VECTOR_CLOSE("b after the first step from b = 0 (mu = 0.9): b = g",
                          &bv.vector, &ebv.vector, 1e-14);
  NNG_EXPECT_STEP_CLOSE("theta after the first step, lr = 0.05: theta - lr·g",
                        &thv.vector, &ethv.vector, &fromv.vector, 1e-14);
  /* mu = 0 is allowed: every step is plain SGD's */
  double b1[5], eb1[5];
  nng_fill_uniform(b1, 5, -1, 1, 93);
  for (size_t i = 0; i < 5; i++) {
    eb1[i] = b1[i];
    from[i] = th[i];
    eth[i] = th[i];
  }
  const hyper sgd = {.lr = 0.125, .mu = 0.0};
  reference_step(NN_OPTIM_MOMENTUM, &sgd, 2, eth, eb1, NULL, g, 5);
  VIEW(b1v, b1, 5);
  NNG_REQUIRE_SUCCESS(nng_ex9_momentum_step(&thv.vector, &b1v.vector, &gv.vector, 0.125,
                                            0.0), "ex9_momentum_step");
  NNG_EXPECT_STEP_CLOSE("theta after a step with mu = 0 (plain SGD, lr = 0.125), "
                        "whatever b held", &thv.vector, &ethv.vector, &fromv.vector,
                        1e-14);
}

static void
momentum_descends_a_quadratic(void **state)
{
  (void) state;
  double theta0[N];
  nng_fill_uniform(theta0, N, -2, 2, 94);
  const hyper h = {.lr = 0.05, .mu = 0.9};
  compare_descents(NN_OPTIM_MOMENTUM, &h, theta0, 0.0, "b (the velocity)");
}

static void
momentum_rejects_bad_input(void **state)
{
  (void) state;
  double th[4], b[5], g[5];
  nng_set_all(th, 4, 0.5);
  nng_set_all(b, 5, -0.25);
  nng_set_all(g, 5, 1.5);
  VIEW(th4, th, 4);
  VIEW(b4, b, 4);
  VIEW(b3, b, 3);
  VIEW(g4, g, 4);
  VIEW(g5, g, 5);
  NNG_EXPECT_STATUS(nng_ex9_momentum_step(&th4.vector, &b3.vector, &g4.vector, 0.1, 0.9),
                    GSL_EBADLEN, "ex9_momentum_step", "theta of 4 entries and b of 3");
  NNG_EXPECT_STATUS(nng_ex9_momentum_step(&th4.vector, &b4.vector, &g5.vector, 0.1, 0.9),
                    GSL_EBADLEN, "ex9_momentum_step", "theta of 4 entries and g of 5");
  const struct { double lr, mu; const char *situation; } bad[] = {
    {0.0, 0.9, "lr = 0"}, {-0.1, 0.9, "lr = -0.1"}, {NAN, 0.9, "lr = NaN"},
    {INFINITY, 0.9, "lr = infinity"}, {0.1, 1.0, "mu = 1"}, {0.1, -0.5, "mu = -0.5"},
    {0.1, NAN, "mu = NaN"}};
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
    NNG_EXPECT_STATUS(nng_ex9_momentum_step(&th4.vector, &b4.vector, &g4.vector,
                                            bad[k].lr, bad[k].mu),
                      GSL_EDOM, "ex9_momentum_step", bad[k].situation);
  NNG_EXPECT_TRUE(nng_all_equal(th, 4, 0.5) && nng_all_equal(b, 5, -0.25),
                  "ex9_momentum_step changed theta or b although it returned an error: "
                  "check everything before writing anything.");
}

/* ===== ex9_rmsprop_step ===== */

static void
rmsprop_first_step(void **state)
{
  (void) state;
  /* from v = 0 the step is lr·g / (√(1 − alpha)·|g| + eps): ten times lr
   * for alpha = 0.99, unless |g| is as small as eps */
  double th[] = {0.5, -1.25, 2.0, 0.0}, g[] = {2.385, -0.03, 0.0004, 1e-9};
  double v[4] = {0}, eth[4], ev[4] = {0}, from[4];
  for (size_t i = 0; i < 4; i++)
    eth[i] = from[i] = th[i];
  const hyper h = {.lr = 0.01, .alpha = 0.99, .eps = 1e-8};
  reference_step(NN_OPTIM_RMSPROP, &h, 1, eth, ev, NULL, g, 4);
  VIEW(thv, th, 4);
  VIEW(vv, v, 4);
  VIEW(gv, g, 4);
  VIEW(ethv, eth, 4);
  VIEW(evv, ev, 4);
  VIEW(fromv, from, 4);
  NNG_REQUIRE_SUCCESS(nng_ex9_rmsprop_step(&thv.vector, &vv.vector, &gv.vector, 0.01,
                                           0.99, 1e-8), "ex9_rmsprop_step");
  nng_show_input_vector("g", &gv.vector);
  NNG_EXPECT_VECTOR_CLOSE("v after the first step from v = 0 (alpha = 0.99): "
                          "(1 − alpha)·g²", &vv.vector, &evv.vector, 1e-14);
  NNG_EXPECT_STEP_CLOSE("theta after the first step, lr = 0.01, eps = 1e-8: "
                        "theta − lr·g / (√v + eps)", &thv.vector, &ethv.vector,
                        &fromv.vector, 1e-14);
}

static void
rmsprop_descends_a_quadratic(void **state)
{
  (void) state;
  double theta0[N];
  nng_fill_uniform(theta0, N, -2, 2, 95);
  const hyper h = {.lr = 0.08, .alpha = 0.9, .eps = 1e-8};
  compare_descents(NN_OPTIM_RMSPROP, &h, theta0, 0.0, "v (the average of g²)");
}

static void
rmsprop_rejects_bad_input(void **state)
{
  (void) state;
  double th[3], v[4], g[4];
  nng_set_all(th, 3, 0.75);
  nng_set_all(v, 4, 0.125);
  nng_set_all(g, 4, -1.5);
  VIEW(th3, th, 3);
  VIEW(v3, v, 3);
  VIEW(v4, v, 4);
  VIEW(g3, g, 3);
  VIEW(g4, g, 4);
  NNG_EXPECT_STATUS(nng_ex9_rmsprop_step(&th3.vector, &v4.vector, &g3.vector, 0.01, 0.99,
                                         1e-8),
                    GSL_EBADLEN, "ex9_rmsprop_step", "theta of 3 entries and v of 4");
  NNG_EXPECT_STATUS(nng_ex9_rmsprop_step(&th3.vector, &v3.vector, &g4.vector, 0.01, 0.99,
                                         1e-8),
                    GSL_EBADLEN, "ex9_rmsprop_step", "theta of 3 entries and g of 4");
  /* alpha = 1 would never let v move from 0: the exercise refuses it */
  const struct { double lr, alpha, eps; const char *situation; } bad[] = {
    {0.0, 0.99, 1e-8, "lr = 0"}, {NAN, 0.99, 1e-8, "lr = NaN"},
    {0.01, 1.0, 1e-8, "alpha = 1"}, {0.01, -0.01, 1e-8, "alpha = -0.01"},
    {0.01, 0.99, 0.0, "eps = 0"}, {0.01, 0.99, -1e-8, "eps = -1e-8"},
    {0.01, 0.99, INFINITY, "eps = infinity"}};
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
    NNG_EXPECT_STATUS(nng_ex9_rmsprop_step(&th3.vector, &v3.vector, &g3.vector, bad[k].lr,
                                           bad[k].alpha, bad[k].eps),
                      GSL_EDOM, "ex9_rmsprop_step", bad[k].situation);
  NNG_EXPECT_TRUE(nng_all_equal(th, 3, 0.75) && nng_all_equal(v, 4, 0.125),
                  "ex9_rmsprop_step changed theta or v although it returned an error: "
                  "check everything before writing anything.");
}

/* ===== ex9_adam_step ===== */

static void
adam_first_step_is_lr_sign_g(void **state)
{
  (void) state;
  /* From m = v = 0: m = (1 − β₁) g, v = (1 − β₂) g², so m̂ = g and
   * v̂ = g², and the step is lr·g / (|g| + eps): lr·sign(g) up to eps.
   * Worked out here from first principles. */
  const double lr = 0.001, b1 = 0.9, b2 = 0.999, eps = 1e-8;
  double th[] = {0.0, 0.0, 0.0, 1.5, -0.5}, g[] = {2.385, -0.03, 0.0004, -7.5, 1e-6};
  double m[5] = {0}, v[5] = {0}, eth[5], em[5], ev[5], from[5];
  int uncorrected = 1;
  for (size_t i = 0; i < 5; i++) {
    from[i] = th[i];
    eth[i] = th[i] - lr * g[i] / (fabs(g[i]) + eps);
    em[i] = (1 - b1) * g[i];
    ev[i] = (1 - b2) * g[i] * g[i];
  }
  VIEW(thv, th, 5);
  VIEW(mv, m, 5);
  VIEW(vv, v, 5);
  VIEW(gv, g, 5);
  VIEW(ethv, eth, 5);
  VIEW(emv, em, 5);
  VIEW(evv, ev, 5);
  VIEW(fromv, from, 5);
  NNG_REQUIRE_SUCCESS(nng_ex9_adam_step(&thv.vector, &mv.vector, &vv.vector, &gv.vector,
                                        1, lr, b1, b2, eps), "ex9_adam_step");
  /* the step without the bias correction: lr·m / (√v + eps) */
  for (size_t i = 0; i < 5; i++) {
    const double step = lr * em[i] / (sqrt(ev[i]) + eps);
    if (fabs((from[i] - th[i]) - step) > 1e-9 * fabs(step))
      uncorrected = 0;
  }
  NNG_EXPECT_TRUE(!uncorrected,
                  "ex9_adam_step's first step is lr·m / (√v + eps), about %.4g times "
                  "lr·sign(g): m and v need their bias correction in the step, m̂ = m / "
                  "(1 − beta1ᵗ) and v̂ = v / (1 − beta2ᵗ).", (1 - b1) / sqrt(1 - b2));
  nng_show_input_vector("g", &gv.vector);
  NNG_EXPECT_VECTOR_CLOSE("m after the first step from 0: (1 − beta1)·g", &mv.vector,
                          &emv.vector, 1e-14);
  NNG_EXPECT_VECTOR_CLOSE("v after the first step from 0: (1 − beta2)·g²", &vv.vector,
                          &evv.vector, 1e-14);
  NNG_EXPECT_STEP_CLOSE("theta after the first step, lr = 0.001: theta − lr·g / (|g| + "
                        "eps)", &thv.vector, &ethv.vector, &fromv.vector, 1e-14);
}

static void
adam_descends_a_quadratic(void **state)
{
  (void) state;
  double theta0[N];
  nng_fill_uniform(theta0, N, -2, 2, 96);
  const hyper h = {.lr = 0.1, .beta1 = 0.9, .beta2 = 0.999, .eps = 1e-8};
  compare_descents(NN_OPTIM_ADAM, &h, theta0, 0.0, "m");
}

static void
adam_uses_the_step_number(void **state)
{
  (void) state;
  /* step 7 from a state that earlier steps left: 1 − β₁⁷ ≈ 0.52 */
  double th[6], m[6], v[6], g[6], eth[6], em[6], ev[6], from[6];
  nng_fill_uniform(th, 6, -2, 2, 97);
  nng_fill_uniform(m, 6, -0.5, 0.5, 98);
  nng_fill_uniform(v, 6, 0.01, 0.2, 99);
  nng_fill_uniform(g, 6, -1, 1, 100);
  for (size_t i = 0; i < 6; i++) {
    eth[i] = from[i] = th[i];
    em[i] = m[i];
    ev[i] = v[i];
  }
  const hyper h = {.lr = 0.02, .beta1 = 0.9, .beta2 = 0.99, .eps = 1e-8};
  reference_step(NN_OPTIM_ADAM, &h, 7, eth, em, ev, g, 6);
  VIEW(thv, th, 6);
  VIEW(mv, m, 6);
  VIEW(vv, v, 6);
  VIEW(gv, g, 6);
  VIEW(ethv, eth, 6);
  VIEW(emv, em, 6);
  VIEW(evv, ev, 6);
  VIEW(fromv, from, 6);
  NNG_REQUIRE_SUCCESS(nng_ex9_adam_step(&thv.vector, &mv.vector, &vv.vector, &gv.vector,
                                        7, h.lr, h.beta1, h.beta2, h.eps),
                      "ex9_adam_step");
  nng_show_input_vector("g", &gv.vector);
  NNG_EXPECT_VECTOR_CLOSE("m after step t = 7 (beta1 = 0.9), kept without the bias "
                          "correction", &mv.vector, &emv.vector, 1e-13);
  NNG_EXPECT_VECTOR_CLOSE("v after step t = 7 (beta2 = 0.99), kept without the bias "
                          "correction", &vv.vector, &evv.vector, 1e-13);
  NNG_EXPECT_STEP_CLOSE("theta after step t = 7, lr = 0.02, corrected by 1 − beta1⁷ "
                        "and 1 − beta2⁷", &thv.vector, &ethv.vector, &fromv.vector,
                        1e-13);
}

static void
adam_rejects_bad_input(void **state)
{
  (void) state;
  double th[3], m[4], v[4], g[4];
  nng_set_all(th, 3, 2.5);
  nng_set_all(m, 4, 0.25);
  nng_set_all(v, 4, 0.0625);
  nng_set_all(g, 4, -0.5);
  VIEW(th3, th, 3);
  VIEW(m3, m, 3);
  VIEW(m4, m, 4);
  VIEW(v3, v, 3);
  VIEW(v4, v, 4);
  VIEW(g3, g, 3);
  VIEW(g4, g, 4);
  NNG_EXPECT_STATUS(nng_ex9_adam_step(&th3.vector, &m4.vector, &v3.vector, &g3.vector, 1,
                                      0.001, 0.9, 0.999, 1e-8),
                    GSL_EBADLEN, "ex9_adam_step", "theta of 3 entries and m of 4");
  NNG_EXPECT_STATUS(nng_ex9_adam_step(&th3.vector, &m3.vector, &v4.vector, &g3.vector, 1,
                                      0.001, 0.9, 0.999, 1e-8),
                    GSL_EBADLEN, "ex9_adam_step", "theta of 3 entries and v of 4");
  NNG_EXPECT_STATUS(nng_ex9_adam_step(&th3.vector, &m3.vector, &v3.vector, &g4.vector, 1,
                                      0.001, 0.9, 0.999, 1e-8),
                    GSL_EBADLEN, "ex9_adam_step", "theta of 3 entries and g of 4");
  /* beta1 = 1 would divide by 1 − 1ᵗ = 0: the exercise refuses it */
  const struct { size_t t; double lr, b1, b2, eps; const char *situation; } bad[] = {
    {0, 0.001, 0.9, 0.999, 1e-8, "t = 0 (steps are numbered from 1)"},
    {1, -0.001, 0.9, 0.999, 1e-8, "lr = -0.001"},
    {1, NAN, 0.9, 0.999, 1e-8, "lr = NaN"},
    {1, 0.001, 1.0, 0.999, 1e-8, "beta1 = 1"},
    {1, 0.001, 0.9, -0.1, 1e-8, "beta2 = -0.1"},
    {1, 0.001, 0.9, NAN, 1e-8, "beta2 = NaN"},
    {1, 0.001, 0.9, 0.999, 0.0, "eps = 0"}};
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
    NNG_EXPECT_STATUS(nng_ex9_adam_step(&th3.vector, &m3.vector, &v3.vector, &g3.vector,
                                        bad[k].t, bad[k].lr, bad[k].b1, bad[k].b2,
                                        bad[k].eps),
                      GSL_EDOM, "ex9_adam_step", bad[k].situation);
  NNG_EXPECT_TRUE(nng_all_equal(th, 3, 2.5) && nng_all_equal(m, 4, 0.25)
                  && nng_all_equal(v, 4, 0.0625),
                  "ex9_adam_step changed theta, m or v although it returned an error: "
                  "check everything before writing anything.");
}

/* ===== ex9_clip_grad_norm ===== */

static void
clip_shortens_a_long_gradient(void **state)
{
  (void) state;
  double g[6], e[6], norm = NAN, enorm = NAN;
  nng_fill_uniform(g, 6, -4, 4, 101);
  for (size_t i = 0; i < 6; i++)
    e[i] = g[i];
  VIEW(gv, g, 6);
  VIEW(ev, e, 6);
  nn_optim_clip_grad_norm(&ev.vector, 1.5, &enorm);
  NNG_REQUIRE_SUCCESS(nng_ex9_clip_grad_norm(&gv.vector, 1.5, &norm),
                      "ex9_clip_grad_norm");
  NNG_EXPECT_CLOSE("*norm: the length ‖g‖₂ before clipping", norm, enorm, 1e-13);
  NNG_EXPECT_VECTOR_CLOSE("g clipped to max_norm = 1.5: g·max_norm / (‖g‖₂ + 1e-6)",
                          &gv.vector, &ev.vector, 1e-13);
  /* without norm (NULL), the same clipping */
  nng_fill_uniform(g, 6, -4, 4, 101);
  NNG_REQUIRE_SUCCESS(nng_ex9_clip_grad_norm_quietly(&gv.vector, 1.5),
                      "ex9_clip_grad_norm");
  NNG_EXPECT_VECTOR_CLOSE("g clipped to max_norm = 1.5 with norm = NULL", &gv.vector,
                          &ev.vector, 1e-13);
}

static void
clip_leaves_a_short_gradient_alone(void **state)
{
  (void) state;
  double g[] = {0.3, -0.4, 1.2}, kept[] = {0.3, -0.4, 1.2}, norm = NAN;  /* ‖g‖ = 1.3 */
  VIEW(gv, g, 3);
  VIEW(keptv, kept, 3);
  NNG_REQUIRE_SUCCESS(nng_ex9_clip_grad_norm(&gv.vector, 2.0, &norm),
                      "ex9_clip_grad_norm");
  NNG_EXPECT_CLOSE("*norm for g = (0.3, −0.4, 1.2)", norm, 1.3, 1e-14);
  NNG_EXPECT_VECTOR_CLOSE("g, shorter than max_norm = 2: left as it was", &gv.vector,
                          &keptv.vector, 0.0);
  NNG_REQUIRE_SUCCESS(nng_ex9_clip_grad_norm_quietly(&gv.vector, 2.0),
                      "ex9_clip_grad_norm");
  NNG_EXPECT_VECTOR_CLOSE("g, shorter than max_norm = 2, with norm = NULL", &gv.vector,
                          &keptv.vector, 0.0);
}

static void
clip_rejects_a_bad_max_norm(void **state)
{
  (void) state;
  double g[4], norm = 42.0;
  nng_set_all(g, 4, 3.25);
  VIEW(gv, g, 4);
  const struct { double max_norm; const char *situation; } bad[] = {
    {0.0, "max_norm = 0"}, {-1.0, "max_norm = -1"}, {NAN, "max_norm = NaN"},
    {INFINITY, "max_norm = infinity"}};
  for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
    NNG_EXPECT_STATUS(nng_ex9_clip_grad_norm(&gv.vector, bad[k].max_norm, &norm),
                      GSL_EDOM, "ex9_clip_grad_norm", bad[k].situation);
  NNG_EXPECT_TRUE(nng_all_equal(g, 4, 3.25) && norm == 42.0,
                  "ex9_clip_grad_norm changed g or *norm although it returned an error: "
                  "check max_norm before writing anything.");
}

/* 1 when the student's ex9_momentum_step takes one step as the library
 * does. A quiet check: the clipped descent builds on it. */
static int
momentum_works(void)
{
  double th[] = {0.6, -0.35}, b[] = {0.25, -0.5}, g[] = {-1.25, 0.75};
  double eth[] = {0.6, -0.35}, eb[] = {0.25, -0.5};
  const hyper h = {.lr = 0.05, .mu = 0.9};
  reference_step(NN_OPTIM_MOMENTUM, &h, 2, eth, eb, NULL, g, 2);
  VIEW(thv, th, 2);
  VIEW(bv, b, 2);
  VIEW(gv, g, 2);
  return nng_ex9_momentum_step(&thv.vector, &bv.vector, &gv.vector, 0.05, 0.9)
           == GSL_SUCCESS
         && fabs(th[0] - eth[0]) <= 1e-12 && fabs(th[1] - eth[1]) <= 1e-12
         && fabs(b[0] - eb[0]) <= 1e-12 && fabs(b[1] - eb[1]) <= 1e-12;
}

static void
clipped_momentum_descends_a_steep_bowl(void **state)
{
  (void) state;
  /* far up the bowl the gradient is long (‖g‖ ≈ 38): unclipped, momentum's
   * steps grow to 3.9; clipped to 1, none is longer than lr·1 / (1 − mu) =
   * 0.5, and the walk still goes down */
  const double theta0[N] = {-6.0, 7.5, -5.5, 6.0};
  const hyper h = {.lr = 0.05, .mu = 0.9};
  nng_builds_on("ex9_momentum_step", momentum_works());
  compare_descents(NN_OPTIM_MOMENTUM, &h, theta0, 1.0, "b (the velocity)");
}

const nng_test nng_ex09_tests[] = {
  {"momentum_first_step_is_sgd", momentum_first_step_is_sgd, "ex9_momentum_step", 1,
   "Update b first, b_i ← mu·b_i + g_i, then step with the new b: theta_i ← theta_i − "
   "lr·b_i. From b = 0 that is theta − lr·g; mu = 0 is allowed and gives plain SGD."},
  {"momentum_descends_a_quadratic", momentum_descends_a_quadratic, "ex9_momentum_step",
   1,
   "b carries over from one step to the next: do not reset it, and do not scale g by "
   "(1 − mu). Compare your first two steps by hand with the test's numbers."},
  {"momentum_rejects_bad_input", momentum_rejects_bad_input, "ex9_momentum_step", 1,
   "theta, b and g must have the same size (GSL_EBADLEN); lr a finite number above 0, "
   "mu in [0, 1) (GSL_EDOM): !(mu >= 0 && mu < 1) is true for NaN too. Check all "
   "before writing."},
  {"rmsprop_first_step", rmsprop_first_step, "ex9_rmsprop_step", 1,
   "v_i ← alpha·v_i + (1 − alpha)·g_i², then theta_i ← theta_i − lr·g_i / (√v_i + "
   "eps): eps is added to the root, not under it."},
  {"rmsprop_descends_a_quadratic", rmsprop_descends_a_quadratic, "ex9_rmsprop_step", 1,
   "v is a moving average kept between steps: read the v you were given, and step "
   "with the v of this step (updated first)."},
  {"rmsprop_rejects_bad_input", rmsprop_rejects_bad_input, "ex9_rmsprop_step", 1,
   "theta, v and g of one size (GSL_EBADLEN); lr and eps finite and above 0, alpha in "
   "[0, 1) (GSL_EDOM). Check all before writing."},
  {"adam_first_step_is_lr_sign_g", adam_first_step_is_lr_sign_g, "ex9_adam_step", 1,
   "From m = v = 0 the bias correction gives m̂ = g and v̂ = g²: the first step is "
   "lr·g / (|g| + eps), lr·sign(g) unless g is as small as eps. Divide by 1 − "
   "pow(beta1, t) and 1 − pow(beta2, t)."},
  {"adam_descends_a_quadratic", adam_descends_a_quadratic, "ex9_adam_step", 1,
   "m and v keep the plain averages; the bias correction is computed on the fly for "
   "the step only. Write m̂ or v̂ into m or v and the next step goes wrong."},
  {"adam_uses_the_step_number", adam_uses_the_step_number, "ex9_adam_step", 1,
   "The correction uses the t you are given, 1 − beta1ᵗ and 1 − beta2ᵗ, not a count "
   "of your own: the caller may start at any step."},
  {"adam_rejects_bad_input", adam_rejects_bad_input, "ex9_adam_step", 1,
   "theta, m, v and g of one size (GSL_EBADLEN); t >= 1, lr and eps finite and above "
   "0, beta1 and beta2 in [0, 1) (GSL_EDOM). Check all before writing."},
  {"clip_shortens_a_long_gradient", clip_shortens_a_long_gradient,
   "ex9_clip_grad_norm", 1,
   "‖g‖₂ = √(Σ g_i²); c = max_norm / (‖g‖₂ + 1e-6), and g_i ← c·g_i when c < 1. norm "
   "may be NULL: then do not write *norm, but still clip."},
  {"clip_leaves_a_short_gradient_alone", clip_leaves_a_short_gradient_alone,
   "ex9_clip_grad_norm", 1,
   "When c = max_norm / (‖g‖₂ + 1e-6) is 1 or more, g stays exactly as it is; *norm "
   "is ‖g‖₂ either way."},
  {"clip_rejects_a_bad_max_norm", clip_rejects_a_bad_max_norm, "ex9_clip_grad_norm", 1,
   "max_norm must be a finite number above 0: GSL_EDOM otherwise, before g or *norm "
   "is written."},
  {"clipped_momentum_descends_a_steep_bowl", clipped_momentum_descends_a_steep_bowl,
   "ex9_clip_grad_norm", 1,
   "Each step clips g with your ex9_clip_grad_norm, then takes your momentum step: "
   "make the clipping tests pass first."},
  {NULL, NULL, NULL, 0, NULL},
};
