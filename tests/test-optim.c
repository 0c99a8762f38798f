/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of nn/optim.h: every optimizer's steps against torch.optim's on the
 * same numbers (computed once by tests/reference/optim-torch.py), the
 * schedules against torch's schedulers, clipping against clip_grad_norm_,
 * properties that need no reference, and the errors. */
#include "nntest.h"

#include <gsl/gsl_vector.h>
#include <nn/optim.h>

#include "reference/optim-torch.h"

/* The options of each case of optim-torch.py, in the same order. */
static nn_optim_options
case_options(const char *name, nn_optim_kind *kind)
{
  nn_optim_options o;
#define CASE(str, k) \
  if (strcmp(name, str) == 0 && (*kind = (k), o = nn_optim_defaults(k), 1))
  CASE("sgd", NN_OPTIM_SGD) { o.lr = 0.01; }
  CASE("sgd_wd", NN_OPTIM_SGD) { o.lr = 0.05; o.weight_decay = 0.1; }
  CASE("momentum", NN_OPTIM_MOMENTUM) { o.lr = 0.01; }
  CASE("momentum_damp", NN_OPTIM_MOMENTUM) {
    o.lr = 0.03; o.momentum = 0.7; o.dampening = 0.2; o.weight_decay = 0.05; }
  CASE("nesterov", NN_OPTIM_NESTEROV) { o.lr = 0.01; }
  CASE("nesterov_wd", NN_OPTIM_NESTEROV) { o.lr = 0.02; o.momentum = 0.5; o.weight_decay = 0.2; }
  CASE("adagrad", NN_OPTIM_ADAGRAD) {}
  CASE("adagrad_opts", NN_OPTIM_ADAGRAD) {
    o.lr = 0.3; o.lr_decay = 0.05; o.initial_accumulator = 0.1; o.weight_decay = 0.1;
    o.eps = 1e-6; }
  CASE("rmsprop", NN_OPTIM_RMSPROP) {}
  CASE("rmsprop_mom", NN_OPTIM_RMSPROP) {
    o.lr = 0.02; o.alpha = 0.9; o.momentum = 0.5; o.weight_decay = 0.1; o.eps = 1e-6; }
  CASE("adadelta", NN_OPTIM_ADADELTA) {}
  CASE("adadelta_opts", NN_OPTIM_ADADELTA) {
    o.lr = 0.5; o.rho = 0.8; o.eps = 1e-4; o.weight_decay = 0.1; }
  CASE("adam", NN_OPTIM_ADAM) {}
  CASE("adam_opts", NN_OPTIM_ADAM) {
    o.lr = 0.05; o.beta1 = 0.8; o.beta2 = 0.95; o.eps = 1e-6; o.weight_decay = 0.1; }
#undef CASE
  return o;
}

/* g(θ) = a⊙θ − b + 0.1 θ⊙θ⊙θ, as in optim-torch.py (same order of operations). */
static void
gradient(const gsl_vector *theta, gsl_vector *g)
{
  for (size_t i = 0; i < theta->size; i++) {
    const double t = gsl_vector_get(theta, i);
    gsl_vector_set(g, i, torch_a[i] * t - torch_b[i] + 0.1 * t * t * t);
  }
}

static void
every_optimizer_steps_like_torch_optim(void **state)
{
  (void) state;
  const size_t n_cases = sizeof torch_cases / sizeof torch_cases[0];
  int seen[NN_OPTIM_N_KINDS] = {0};
  for (size_t c = 0; c < n_cases; c++) {
    nn_optim_kind kind = NN_OPTIM_N_KINDS;
    nn_optim_options o = case_options(torch_cases[c].name, &kind);
    assert_true(kind < NN_OPTIM_N_KINDS);
    seen[kind] = 1;
    nn_optim *opt = nn_optim_alloc(kind, TORCH_N, &o);
    assert_non_null(opt);
    gsl_vector *theta = gsl_vector_alloc(TORCH_N), *g = gsl_vector_alloc(TORCH_N);
    for (size_t i = 0; i < TORCH_N; i++)
      gsl_vector_set(theta, i, torch_theta0[i]);
    double worst = 0;
    for (size_t t = 0; t < TORCH_STEPS; t++) {
      gradient(theta, g);
      assert_int_equal(nn_optim_step(opt, theta, g), GSL_SUCCESS);
      for (size_t i = 0; i < TORCH_N; i++) {
        const double want = torch_cases[c].theta[t][i];
        const double diff = fabs(gsl_vector_get(theta, i) - want) / fmax(1, fabs(want));
        if (diff > worst)
          worst = diff;
      }
    }
    if (worst > 1e-12)
      fail_msg("%s: after %d steps a parameter differs from torch.optim's by %g "
               "(relative)", torch_cases[c].name, TORCH_STEPS, worst);
    /* The steps moved the parameters: comparing a stub with θ0 proves nothing. */
    assert_true(fabs(gsl_vector_get(theta, 2) - torch_theta0[2]) > 1e-4);
    gsl_vector_free(theta);
    gsl_vector_free(g);
    nn_optim_free(opt);
  }
  for (int k = 0; k < NN_OPTIM_N_KINDS; k++)
    if (!seen[k])
      fail_msg("no reference case for the optimizer %s", nn_optim_name(k));
}

static void
schedules_give_torch_schedulers_rates(void **state)
{
  (void) state;
  const struct {
    nn_schedule s;
    const double *want;
  } cases[] = {
    {{NN_SCHEDULE_STEP, 0.1, 0.5, 3, 0, 0}, torch_schedule_step},
    {{NN_SCHEDULE_EXPONENTIAL, 0.1, 0.9, 0, 0, 0}, torch_schedule_exponential},
    {{NN_SCHEDULE_COSINE, 0.1, 0, 0, 10, 0.001}, torch_schedule_cosine},
  };
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++)
    for (unsigned e = 0; e <= 10; e++) {
      double lr = -1;
      assert_int_equal(nn_schedule_lr(&cases[c].s, e, &lr), GSL_SUCCESS);
      assert_close(lr, cases[c].want[e], 1e-12);
    }
  nn_schedule constant = {NN_SCHEDULE_CONSTANT, 0.25, 0, 0, 0, 0};
  double lr = 0;
  assert_int_equal(nn_schedule_lr(&constant, 7, &lr), GSL_SUCCESS);
  assert_close(lr, 0.25, 0);
}

static void
clipping_scales_like_clip_grad_norm(void **state)
{
  (void) state;
  const double g0[] = {3.0, -4.0, 12.0, 0.5};
  gsl_vector *g = gsl_vector_alloc(4);
  for (size_t i = 0; i < 4; i++)
    gsl_vector_set(g, i, g0[i]);
  double norm = 0;
  assert_int_equal(nn_optim_clip_grad_norm(g, 2.5, &norm), GSL_SUCCESS);
  assert_close(norm, torch_clip_norm, 1e-14);
  for (size_t i = 0; i < 4; i++)
    assert_close(gsl_vector_get(g, i), torch_clip_grad[i], 1e-14);
  /* Below the bound nothing changes. */
  assert_int_equal(nn_optim_clip_grad_norm(g, 100, &norm), GSL_SUCCESS);
  assert_close(norm, 2.5, 1e-6);
  for (size_t i = 0; i < 4; i++)
    assert_close(gsl_vector_get(g, i), torch_clip_grad[i], 1e-14);
  gsl_vector_free(g);
}

/* Adam's first step is −γ·sign(g) (bias correction makes m̂ = g, v̂ = g²),
 * whatever the size of g: a fact of the rule, not of the reference. */
static void
adam_first_step_is_lr_times_sign(void **state)
{
  (void) state;
  nn_optim_options o = nn_optim_defaults(NN_OPTIM_ADAM);
  o.lr = 0.125;
  nn_optim *opt = nn_optim_alloc(NN_OPTIM_ADAM, 3, &o);
  gsl_vector *theta = gsl_vector_calloc(3), *g = gsl_vector_alloc(3);
  gsl_vector_set(g, 0, 2.385e3);
  gsl_vector_set(g, 1, -0.02);
  gsl_vector_set(g, 2, 7.5);
  assert_int_equal(nn_optim_step(opt, theta, g), GSL_SUCCESS);
  assert_close(gsl_vector_get(theta, 0), -0.125, 1e-9);
  assert_close(gsl_vector_get(theta, 1), 0.125, 1e-6);
  assert_close(gsl_vector_get(theta, 2), -0.125, 1e-9);
  /* reset: the same first step again from where we are. */
  nn_optim_reset(opt);
  assert_int_equal(nn_optim_step(opt, theta, g), GSL_SUCCESS);
  assert_close(gsl_vector_get(theta, 0), -0.25, 1e-9);
  gsl_vector_free(theta);
  gsl_vector_free(g);
  nn_optim_free(opt);
}

/* A strided view (every other entry of a vector) is updated in place, and
 * the entries between are left alone. */
static void
steps_work_on_strided_views(void **state)
{
  (void) state;
  gsl_vector *big = gsl_vector_alloc(6), *gbig = gsl_vector_alloc(6);
  gsl_vector_set_all(big, 1.0);
  gsl_vector_set_all(gbig, 0.5);
  gsl_vector_view th = gsl_vector_subvector_with_stride(big, 0, 2, 3);
  gsl_vector_view g = gsl_vector_subvector_with_stride(gbig, 1, 2, 3);
  nn_optim_options o = nn_optim_defaults(NN_OPTIM_SGD);
  o.lr = 0.2;
  nn_optim *opt = nn_optim_alloc(NN_OPTIM_SGD, 3, &o);
  assert_int_equal(nn_optim_step(opt, &th.vector, &g.vector), GSL_SUCCESS);
  for (size_t i = 0; i < 6; i++)
    assert_close(gsl_vector_get(big, i), i % 2 == 0 ? 0.9 : 1.0, 1e-15);
  gsl_vector_free(big);
  gsl_vector_free(gbig);
  nn_optim_free(opt);
}

static void
bad_input_is_refused_with_a_reason(void **state)
{
  (void) state;
  nn_optim_options o = nn_optim_defaults(NN_OPTIM_SGD);
  o.lr = NAN;
  assert_null(nn_optim_alloc(NN_OPTIM_SGD, 3, &o));
  o.lr = -0.1;
  assert_null(nn_optim_alloc(NN_OPTIM_SGD, 3, &o));
  assert_null(nn_optim_alloc(NN_OPTIM_SGD, 0, NULL));
  assert_null(nn_optim_alloc((nn_optim_kind) 99, 3, NULL));
  o = nn_optim_defaults(NN_OPTIM_ADAM);
  o.beta1 = 1.0;
  assert_null(nn_optim_alloc(NN_OPTIM_ADAM, 3, &o));
  o = nn_optim_defaults(NN_OPTIM_NESTEROV);
  o.dampening = 0.1;
  assert_null(nn_optim_alloc(NN_OPTIM_NESTEROV, 3, &o));

  nn_optim *opt = nn_optim_alloc(NN_OPTIM_MOMENTUM, 3, NULL);
  gsl_vector *three = gsl_vector_calloc(3), *four = gsl_vector_calloc(4);
  assert_int_equal(nn_optim_step(opt, three, four), GSL_EBADLEN);
  assert_int_equal(nn_optim_step(opt, four, three), GSL_EBADLEN);
  assert_int_equal(nn_optim_step(NULL, three, three), GSL_EINVAL);
  assert_int_equal(nn_optim_set_lr(opt, INFINITY), GSL_EDOM);
  assert_int_equal(nn_optim_set_lr(opt, 0), GSL_EDOM);
  assert_int_equal(nn_optim_set_lr(opt, 0.5), GSL_SUCCESS);
  assert_close(opt->opt.lr, 0.5, 0);
  assert_int_equal(nn_optim_clip_grad_norm(three, 0, NULL), GSL_EDOM);
  assert_int_equal(nn_optim_clip_grad_norm(three, NAN, NULL), GSL_EDOM);

  nn_schedule s = {NN_SCHEDULE_STEP, 0.1, 0.5, 0, 0, 0};
  double lr;
  assert_int_equal(nn_schedule_lr(&s, 1, &lr), GSL_EDOM);
  s = (nn_schedule) {NN_SCHEDULE_COSINE, 0.1, 0, 0, 10, 0.2};
  assert_int_equal(nn_schedule_lr(&s, 1, &lr), GSL_EDOM);
  s = (nn_schedule) {NN_SCHEDULE_EXPONENTIAL, 0.1, 1.5, 0, 0, 0};
  assert_int_equal(nn_schedule_lr(&s, 1, &lr), GSL_EDOM);

  nn_optim_kind kind;
  assert_int_equal(nn_optim_parse("adamw", &kind), GSL_EINVAL);
  for (int k = 0; k < NN_OPTIM_N_KINDS; k++) {
    assert_int_equal(nn_optim_parse(nn_optim_name(k), &kind), GSL_SUCCESS);
    assert_int_equal(kind, k);
  }
  assert_null(nn_optim_name(NN_OPTIM_N_KINDS));
  gsl_vector_free(three);
  gsl_vector_free(four);
  nn_optim_free(opt);
  nn_optim_free(NULL);
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(every_optimizer_steps_like_torch_optim),
    cmocka_unit_test(schedules_give_torch_schedulers_rates),
    cmocka_unit_test(clipping_scales_like_clip_grad_norm),
    cmocka_unit_test(adam_first_step_is_lr_times_sign),
    cmocka_unit_test(steps_work_on_strided_views),
    cmocka_unit_test(bad_input_is_refused_with_a_reason),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
