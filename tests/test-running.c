/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the running problem of lectures 2 to 7 (lectures/running.h): the
 * hand-set network solves exclusive or, and the chain-rule partials of the
 * cost agree with central differences at the hand-set weights and at a
 * point where no unit is saturated. */
#include "nntest.h"

#include <gsl/gsl_vector.h>
#include <nn/gradcheck.h>

#include "lectures/running.h"

typedef struct {
  running_net net;
  const nn_data *data;
} cost_args;

/* J as a function of a vector θ of the nine parameters. */
static double
cost_of_theta(const gsl_vector *theta, void *params)
{
  cost_args *a = params;
  for (size_t i = 0; i < RUNNING_N_PARAMS; i++)
    *running_param(&a->net, i) = gsl_vector_get(theta, i);
  return running_cost(&a->net, a->data);
}

static void
check_gradient_at(const running_net *net, const nn_data *data)
{
  cost_args args = {*net, data};
  running_net grad;
  running_cost_grad(net, data, &grad);
  gsl_vector *theta = gsl_vector_alloc(RUNNING_N_PARAMS);
  gsl_vector *analytic = gsl_vector_alloc(RUNNING_N_PARAMS);
  for (size_t i = 0; i < RUNNING_N_PARAMS; i++) {
    gsl_vector_set(theta, i, *running_param(&args.net, i));
    gsl_vector_set(analytic, i, *running_param(&grad, i));
  }
  double error = 1;
  assert_int_equal(nn_gradcheck_compare(&error, cost_of_theta, &args, theta, analytic,
                                        NN_GRADCHECK_STEP), GSL_SUCCESS);
  assert_true(error < 1e-7);
  gsl_vector_free(theta);
  gsl_vector_free(analytic);
}

static void
hand_set_network_solves_exclusive_or(void **state)
{
  (void) state;
  nn_data *data = running_data(RUNNING_SD, RUNNING_SEED);
  assert_non_null(data);
  assert_int_equal(data->X->size1, 4 * RUNNING_PER_CORNER);
  running_net net;
  running_hand_set(&net, RUNNING_SCALE);
  assert_close(running_accuracy(&net, data), 1.0, 0);
  /* The truth table itself, at the corners: XOR. */
  static const double corner[4][2] = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
  for (int k = 0; k < 4; k++) {
    const double yhat = running_predict(&net, corner[k], NULL);
    assert_true((yhat > 0.5) == (k == 1 || k == 2));
  }
  /* Scaled down to nothing, the network says 1/2 everywhere: J = 1/4. */
  running_hand_set(&net, 0);
  assert_close(running_cost(&net, data), 0.25, 1e-15);
  nn_data_free(data);
}

static void
chain_rule_partials_match_central_differences(void **state)
{
  (void) state;
  nn_data *data = running_data(RUNNING_SD, RUNNING_SEED);
  running_net net;
  running_hand_set(&net, 1.7);   /* no unit saturated: every partial matters */
  check_gradient_at(&net, data);
  running_hand_set(&net, RUNNING_SCALE);
  net.v[0] = 2.385;
  net.c = -4.1;
  check_gradient_at(&net, data);
  nn_data_free(data);
}

static void
parameters_have_names_in_a_fixed_order(void **state)
{
  (void) state;
  running_net net;
  running_hand_set(&net, 2);
  assert_ptr_equal(running_param_by_name(&net, "w21"), &net.w[1][0]);
  assert_ptr_equal(running_param_by_name(&net, "c"), &net.c);
  assert_null(running_param_by_name(&net, "w3"));
  assert_null(running_param(&net, RUNNING_N_PARAMS));
  assert_string_equal(running_param_name(6), "v1");
  assert_null(running_param_name(RUNNING_N_PARAMS));
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(hand_set_network_solves_exclusive_or),
    cmocka_unit_test(chain_rule_partials_match_central_differences),
    cmocka_unit_test(parameters_have_names_in_a_fixed_order),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
