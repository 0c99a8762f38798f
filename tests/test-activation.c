/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of nn/activation.h: values, derivatives by gradient check, the
 * stable sigmoid, names, in-place vector and matrix forms, and bad input. */
#include "nntest.h"

#include <nn/activation.h>
#include <nn/gradcheck.h>

/* Points away from the corners at 0, where a difference quotient of a ReLU
 * would straddle the kink. */
static const double points[] = {-2.385, -0.731, -0.05, 0.412, 1.618, 3.05};
#define N_POINTS (sizeof points / sizeof points[0])

static void
values_at_known_points(void **state)
{
  (void) state;
  const double z = 2.385, s = 1.0 / (1.0 + exp(-z));
  assert_close(nn_activation_sigmoid(z), s, 1e-15);
  assert_close(nn_activation_sigmoid(-z), 1.0 - s, 1e-15);
  assert_close(nn_activation_sigmoid(0.0), 0.5, 0.0);
  assert_close(nn_activation_sigmoid_deriv(z), s * (1.0 - s), 1e-15);
  assert_close(nn_activation_tanh(z), (exp(z) - exp(-z)) / (exp(z) + exp(-z)), 1e-15);
  assert_close(nn_activation_tanh_deriv(-z), 1.0 - pow(tanh(z), 2), 1e-15);
  assert_close(nn_activation_relu(z), z, 0.0);
  assert_close(nn_activation_relu(-z), 0.0, 0.0);
  assert_close(nn_activation_relu_deriv(z), 1.0, 0.0);
  assert_close(nn_activation_relu_deriv(-z), 0.0, 0.0);
  assert_close(nn_activation_relu_deriv(0.0), 0.0, 0.0);  // the left value at the corner
  assert_close(nn_activation_leaky_relu(-z, 0.1), -0.2385, 1e-15);
  assert_close(nn_activation_leaky_relu(z, 0.1), z, 0.0);
  assert_close(nn_activation_leaky_relu_deriv(-z, 0.1), 0.1, 0.0);
  assert_close(nn_activation_leaky_relu_deriv(0.0, 0.1), 0.1, 0.0);
  assert_close(nn_activation_leaky_relu_deriv(z, 0.1), 1.0, 0.0);
  assert_close(nn_activation_step(z), 1.0, 0.0);
  assert_close(nn_activation_step(0.0), 1.0, 0.0);  // fires at the threshold
  assert_close(nn_activation_step(-1e-300), 0.0, 0.0);
  assert_close(nn_activation_identity(-z), -z, 0.0);
  assert_close(nn_activation_identity_deriv(-z), 1.0, 0.0);
}

static void
eval_and_deriv_dispatch_by_kind(void **state)
{
  (void) state;
  const double a = 0.2;
  for (size_t k = 0; k < N_POINTS; k++) {
    const double z = points[k];
    assert_close(nn_activation_eval(NN_ACTIVATION_IDENTITY, a, z), z, 0.0);
    assert_close(nn_activation_eval(NN_ACTIVATION_STEP, a, z), z >= 0, 0.0);
    assert_close(nn_activation_eval(NN_ACTIVATION_SIGMOID, a, z),
                 nn_activation_sigmoid(z), 0.0);
    assert_close(nn_activation_eval(NN_ACTIVATION_TANH, a, z), tanh(z), 0.0);
    assert_close(nn_activation_eval(NN_ACTIVATION_RELU, a, z), fmax(z, 0.0), 0.0);
    assert_close(nn_activation_eval(NN_ACTIVATION_LEAKY_RELU, a, z), z > 0 ? z : a * z,
                 0.0);
    assert_close(nn_activation_deriv(NN_ACTIVATION_SIGMOID, a, z),
                 nn_activation_sigmoid_deriv(z), 0.0);
    assert_close(nn_activation_deriv(NN_ACTIVATION_TANH, a, z),
                 nn_activation_tanh_deriv(z), 0.0);
    assert_close(nn_activation_deriv(NN_ACTIVATION_LEAKY_RELU, a, z), z > 0 ? 1.0 : a,
                 0.0);
  }
  assert_true(isnan(nn_activation_eval(NN_ACTIVATION_COUNT, a, 1.0)));
  assert_true(isnan(nn_activation_deriv((nn_activation_kind) -1, a, 1.0)));
}

/* J(θ) = Σ_i c_i g(θ_i), with weights c_i that differ, so that
 * ∂J/∂θ_i = c_i g'(θ_i): each derivative is checked at every point. */
struct kind_slope {
  nn_activation_kind kind;
  double slope;
};

static double
weighted_sum(const gsl_vector *theta, void *params)
{
  const struct kind_slope *ks = params;
  double J = 0.0;
  for (size_t i = 0; i < theta->size; i++)
    J += (1.5 + 0.25 * (double) i)
         * nn_activation_eval(ks->kind, ks->slope, gsl_vector_get(theta, i));
  return J;
}

static void
derivatives_pass_a_gradient_check(void **state)
{
  (void) state;
  const nn_activation_kind kinds[] = {NN_ACTIVATION_IDENTITY, NN_ACTIVATION_SIGMOID,
                                      NN_ACTIVATION_TANH, NN_ACTIVATION_RELU,
                                      NN_ACTIVATION_LEAKY_RELU};
  for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
    struct kind_slope ks = {kinds[k], 0.15};
    double ta[N_POINTS], ga[N_POINTS];
    memcpy(ta, points, sizeof ta);
    gsl_vector_view theta = gsl_vector_view_array(ta, N_POINTS);
    gsl_vector_view g = gsl_vector_view_array(ga, N_POINTS);
    // analytic: the derivative vector in place, times the weights
    memcpy(ga, points, sizeof ga);
    assert_int_equal(nn_activation_deriv_vector(ks.kind, ks.slope, &g.vector),
                     GSL_SUCCESS);
    for (size_t i = 0; i < N_POINTS; i++)
      ga[i] *= 1.5 + 0.25 * (double) i;
    double err = NAN;
    assert_int_equal(nn_gradcheck_compare(&err, weighted_sum, &ks, &theta.vector,
                                          &g.vector, NN_GRADCHECK_STEP), GSL_SUCCESS);
    if (!(err < 1e-7))
      print_error("%s: relative error %g\n", nn_activation_name(ks.kind), err);
    assert_true(err < 1e-7);
  }
}

/* The backward pass through A = g(Z) on a matrix: J(Z) = Σ G ⊙ g(Z), so
 * dA = G and dZ should be G ⊙ g'(Z). */
struct backward_problem {
  struct kind_slope ks;
  const gsl_matrix *G;
};

static double
weighted_activations(const gsl_vector *theta, void *params)
{
  const struct backward_problem *p = params;
  double J = 0.0;
  for (size_t i = 0; i < p->G->size1; i++)
    for (size_t j = 0; j < p->G->size2; j++)
      J += gsl_matrix_get(p->G, i, j)
           * nn_activation_eval(p->ks.kind, p->ks.slope,
                                gsl_vector_get(theta, i * p->G->size2 + j));
  return J;
}

static void
backward_passes_a_gradient_check(void **state)
{
  (void) state;
  double Za[6], Ga[] = {0.3, -1.7, 2.385, 0.9, -0.4, 1.1}, dZa[6];
  memcpy(Za, points, sizeof Za);
  gsl_matrix_view Z = gsl_matrix_view_array(Za, 2, 3), G = gsl_matrix_view_array(Ga, 2, 3);
  gsl_matrix_view dZ = gsl_matrix_view_array(dZa, 2, 3);
  gsl_vector_view theta = gsl_vector_view_array(Za, 6), g = gsl_vector_view_array(dZa, 6);
  for (int k = 0; k < (int) NN_ACTIVATION_COUNT; k++) {
    if (k == NN_ACTIVATION_STEP)
      continue;  // its gradient is all zeros: tested below
    struct backward_problem p = {{(nn_activation_kind) k, 0.3}, &G.matrix};
    assert_int_equal(nn_activation_backward(p.ks.kind, p.ks.slope, &dZ.matrix,
                                            &Z.matrix, &G.matrix), GSL_SUCCESS);
    double err = NAN;
    assert_int_equal(nn_gradcheck_compare(&err, weighted_activations, &p, &theta.vector,
                                          &g.vector, NN_GRADCHECK_STEP), GSL_SUCCESS);
    assert_true(err < 1e-7);
  }
}

static void
the_step_has_no_slope_to_follow(void **state)
{
  (void) state;
  double Za[6], Ga[6] = {0.3, -1.7, 2.385, 0.9, -0.4, 1.1}, dZa[6], na[6];
  memcpy(Za, points, sizeof Za);
  gsl_matrix_view Z = gsl_matrix_view_array(Za, 2, 3), G = gsl_matrix_view_array(Ga, 2, 3);
  gsl_matrix_view dZ = gsl_matrix_view_array(dZa, 2, 3);
  gsl_vector_view theta = gsl_vector_view_array(Za, 6), g = gsl_vector_view_array(dZa, 6);
  gsl_vector_view n = gsl_vector_view_array(na, 6);
  struct backward_problem p = {{NN_ACTIVATION_STEP, 0.0}, &G.matrix};
  assert_int_equal(nn_activation_backward(NN_ACTIVATION_STEP, 0.0, &dZ.matrix,
                                          &Z.matrix, &G.matrix), GSL_SUCCESS);
  assert_int_equal(nn_gradcheck_numerical(&n.vector, weighted_activations, &p,
                                          &theta.vector, NN_GRADCHECK_STEP), GSL_SUCCESS);
  for (size_t i = 0; i < 6; i++) {
    assert_close(dZa[i], 0.0, 0.0);
    assert_close(na[i], 0.0, 0.0);
  }
  // and the checker refuses to call that a passed check
  double err = 0.0;
  assert_gsl_error(nn_gradcheck_relative_error(&err, NULL, &g.vector, &n.vector),
                   GSL_EFAILED, "all zeros");
}

static void
the_sigmoid_never_overflows(void **state)
{
  (void) state;
  const double big[] = {800.0, 745.5, 710.0, 40.0};
  for (size_t k = 0; k < sizeof big / sizeof big[0]; k++) {
    const double up = nn_activation_sigmoid(big[k]), down = nn_activation_sigmoid(-big[k]);
    assert_true(isfinite(up) && isfinite(down));
    assert_true(down >= 0.0 && up <= 1.0);
    assert_true(isfinite(nn_activation_sigmoid_deriv(big[k])));
    assert_true(isfinite(nn_activation_sigmoid_deriv(-big[k])));
  }
  assert_close(nn_activation_sigmoid(800.0), 1.0, 0.0);
  assert_close(nn_activation_sigmoid(-800.0), 0.0, 0.0);
  assert_close(nn_activation_sigmoid_deriv(-800.0), 0.0, 0.0);
  // small values keep their relative accuracy: σ(-40) ≈ e^-40
  const double tiny = nn_activation_sigmoid(-40.0), expected = exp(-40.0) / (1 + exp(-40.0));
  assert_true(fabs(tiny - expected) <= 1e-15 * expected);
  // and through the vector form too
  double va[] = {800.0, -800.0, -2.385};
  gsl_vector_view v = gsl_vector_view_array(va, 3);
  assert_int_equal(nn_activation_apply_vector(NN_ACTIVATION_SIGMOID, 0.0, &v.vector),
                   GSL_SUCCESS);
  assert_close(va[0], 1.0, 0.0);
  assert_close(va[1], 0.0, 0.0);
  assert_close(va[2], 1.0 / (1.0 + exp(2.385)), 1e-15);
}

static void
names_and_kinds_map_both_ways(void **state)
{
  (void) state;
  const char *expected[] = {"identity", "step", "sigmoid", "tanh", "relu", "leaky_relu"};
  assert_int_equal(NN_ACTIVATION_COUNT, 6);
  for (int k = 0; k < (int) NN_ACTIVATION_COUNT; k++) {
    const char *name = nn_activation_name((nn_activation_kind) k);
    assert_non_null(name);
    assert_string_equal(name, expected[k]);
    nn_activation_kind back = NN_ACTIVATION_COUNT;
    assert_int_equal(nn_activation_from_name(name, &back), GSL_SUCCESS);
    assert_int_equal(back, k);
  }
  nn_activation_kind kind = NN_ACTIVATION_RELU;
  assert_int_equal(nn_activation_from_name("none", &kind), GSL_SUCCESS);
  assert_int_equal(kind, NN_ACTIVATION_IDENTITY);
  kind = NN_ACTIVATION_RELU;
  assert_int_equal(nn_activation_from_name("linear", &kind), GSL_SUCCESS);
  assert_int_equal(kind, NN_ACTIVATION_IDENTITY);
  assert_int_equal(nn_activation_from_name("leaky-relu", &kind), GSL_SUCCESS);
  assert_int_equal(kind, NN_ACTIVATION_LEAKY_RELU);

  kind = NN_ACTIVATION_TANH;
  assert_gsl_error(nn_activation_from_name("sigmoyd", &kind), GSL_EINVAL,
                   "unknown activation \"sigmoyd\"");
  assert_non_null(strstr(nn_test_last_error, "leaky_relu"));  // lists the known names
  assert_int_equal(kind, NN_ACTIVATION_TANH);  // untouched
  assert_gsl_error(nn_activation_from_name(NULL, &kind), GSL_EINVAL, "NULL");
  nn_test_last_error[0] = '\0';
  assert_null(nn_activation_name(NN_ACTIVATION_COUNT));
  assert_non_null(strstr(nn_test_last_error, "unknown activation kind 6"));
}

static void
vectors_and_matrices_in_place_agree_with_scalars(void **state)
{
  (void) state;
  // a 2x3 window of a 3x4 matrix: rows are not contiguous (tda 4)
  double Ma[12];
  gsl_matrix_view big = gsl_matrix_view_array(Ma, 3, 4);
  gsl_matrix_view M = gsl_matrix_submatrix(&big.matrix, 1, 1, 2, 3);
  gsl_vector_view col = gsl_matrix_column(&big.matrix, 2);  // stride 4
  for (int k = 0; k < (int) NN_ACTIVATION_COUNT; k++) {
    const nn_activation_kind kind = (nn_activation_kind) k;
    for (int deriv = 0; deriv <= 1; deriv++) {
      for (size_t i = 0; i < 12; i++)
        Ma[i] = points[i % N_POINTS] * (i % 2 ? 1.0 : -1.3);
      double before[12];
      memcpy(before, Ma, sizeof before);
      int status = deriv ? nn_activation_deriv_matrix(kind, 0.2, &M.matrix)
                         : nn_activation_apply_matrix(kind, 0.2, &M.matrix);
      assert_int_equal(status, GSL_SUCCESS);
      for (size_t r = 0; r < 3; r++)
        for (size_t c = 0; c < 4; c++) {
          const double z = before[r * 4 + c];
          const int inside = r >= 1 && c >= 1;
          const double want = !inside ? z : deriv ? nn_activation_deriv(kind, 0.2, z)
                                                  : nn_activation_eval(kind, 0.2, z);
          assert_close(Ma[r * 4 + c], want, 0.0);
        }
      memcpy(Ma, before, sizeof before);
      status = deriv ? nn_activation_deriv_vector(kind, 0.2, &col.vector)
                     : nn_activation_apply_vector(kind, 0.2, &col.vector);
      assert_int_equal(status, GSL_SUCCESS);
      for (size_t i = 0; i < 12; i++) {
        const double z = before[i];
        const double want = i % 4 != 2 ? z : deriv ? nn_activation_deriv(kind, 0.2, z)
                                                   : nn_activation_eval(kind, 0.2, z);
        assert_close(Ma[i], want, 0.0);
      }
    }
  }
}

static void
backward_may_work_in_place(void **state)
{
  (void) state;
  double Za[] = {-2.385, 0.7, 1.9, -0.2}, dAa[] = {1.25, -0.5, 2.0, 3.5}, dZa[4];
  gsl_matrix_view Z = gsl_matrix_view_array(Za, 2, 2), dA = gsl_matrix_view_array(dAa, 2, 2);
  gsl_matrix_view dZ = gsl_matrix_view_array(dZa, 2, 2);
  assert_int_equal(nn_activation_backward(NN_ACTIVATION_TANH, 0.0, &dZ.matrix, &Z.matrix,
                                          &dA.matrix), GSL_SUCCESS);
  for (size_t i = 0; i < 4; i++)
    assert_close(dZa[i], dAa[i] * (1.0 - tanh(Za[i]) * tanh(Za[i])), 1e-15);
  assert_int_equal(nn_activation_backward(NN_ACTIVATION_TANH, 0.0, &dA.matrix, &Z.matrix,
                                          &dA.matrix), GSL_SUCCESS);
  assert_memory_equal(dAa, dZa, sizeof dZa);
}

static void
bad_input_is_named(void **state)
{
  (void) state;
  double a[6] = {1.5, -2.5, 0.5, 1.0, 2.0, 3.0}, b[6] = {0};
  gsl_vector_view v = gsl_vector_view_array(a, 3);
  gsl_matrix_view M23 = gsl_matrix_view_array(a, 2, 3), M32 = gsl_matrix_view_array(b, 3, 2);
  gsl_matrix_view N23 = gsl_matrix_view_array(b, 2, 3);
  assert_gsl_error(nn_activation_apply_vector(NN_ACTIVATION_LEAKY_RELU, 1.0, &v.vector),
                   GSL_EDOM, "slope must be in [0, 1), not 1");
  assert_gsl_error(nn_activation_apply_matrix(NN_ACTIVATION_LEAKY_RELU, -0.1, &M23.matrix),
                   GSL_EDOM, "not -0.1");
  assert_gsl_error(nn_activation_deriv_vector(NN_ACTIVATION_LEAKY_RELU, NAN, &v.vector),
                   GSL_EDOM, "nan");
  assert_close(a[1], -2.5, 0.0);  // nothing was changed
  // the slope only matters to the leaky ReLU
  assert_int_equal(nn_activation_apply_vector(NN_ACTIVATION_RELU, 5.0, &v.vector),
                   GSL_SUCCESS);
  assert_gsl_error(nn_activation_deriv_matrix((nn_activation_kind) 17, 0.0, &M23.matrix),
                   GSL_EINVAL, "unknown activation kind 17");
  assert_gsl_error(nn_activation_apply_vector(NN_ACTIVATION_TANH, 0.0, NULL), GSL_EINVAL,
                   "NULL");
  assert_gsl_error(nn_activation_apply_matrix(NN_ACTIVATION_TANH, 0.0, NULL), GSL_EINVAL,
                   "NULL");
  assert_gsl_error(nn_activation_backward(NN_ACTIVATION_TANH, 0.0, &N23.matrix,
                                          &M23.matrix, &M32.matrix),
                   GSL_EBADLEN, "Z is 2x3 but dA is 3x2");
  assert_gsl_error(nn_activation_backward(NN_ACTIVATION_TANH, 0.0, &M32.matrix,
                                          &M23.matrix, &N23.matrix),
                   GSL_EBADLEN, "Z is 2x3 but dZ is 3x2");
  assert_gsl_error(nn_activation_backward(NN_ACTIVATION_TANH, 0.0, NULL, &M23.matrix,
                                          &N23.matrix), GSL_EINVAL, "NULL");
  assert_gsl_error(nn_activation_backward(NN_ACTIVATION_LEAKY_RELU, 2.0, &N23.matrix,
                                          &M23.matrix, &N23.matrix), GSL_EDOM, "slope");
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(values_at_known_points),
    cmocka_unit_test(eval_and_deriv_dispatch_by_kind),
    cmocka_unit_test(derivatives_pass_a_gradient_check),
    cmocka_unit_test(backward_passes_a_gradient_check),
    cmocka_unit_test(the_step_has_no_slope_to_follow),
    cmocka_unit_test(the_sigmoid_never_overflows),
    cmocka_unit_test(names_and_kinds_map_both_ways),
    cmocka_unit_test(vectors_and_matrices_in_place_agree_with_scalars),
    cmocka_unit_test(backward_may_work_in_place),
    cmocka_unit_test(bad_input_is_named),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
