/* SPDX-License-Identifier: GPL-3.0-or-later */
/* suite-ex08.c: the public tests of exercise 8.
 *
 * Each test sends its inputs to the student's function in the probe and
 * compares the answer with the library's (lib/), which is the reference:
 * nn_data_batch_count, nn_data_shuffle and nn_data_batch give the batches;
 * a network of one layer (nn/network.h: d inputs, 1 output) is the neuron,
 * whose parameters are in the order of the exercise's theta (W row by row,
 * then b), and nn_loss_bce_logits its cost and gradient; an SGD optimizer
 * (nn/optim.h) the steps. The training loop is the library's, run on the
 * same numbers with the same seed. The gradient is also checked the way
 * the course checks every gradient: against central differences, with a
 * relative error below 1e-7, and a gradient of zeros is refused. Inputs
 * live in arrays on the stack, and anything the library allocates is freed
 * before the first judgement, so a failing test leaks nothing.
 */
#include <config.h>

#include <math.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include <nn/data.h>
#include <nn/gradcheck.h>
#include <nn/loss.h>
#include <nn/network.h>
#include <nn/optim.h>
#include <nn/train.h>

#include "exercises.h"
#include "remote-ex08.h"
#include "testkit.h"

/* ===== ex8_batch_count ===== */

static void
batch_count_rounds_up(void **state)
{
  (void) state;
  static const size_t cases[][2] = {{10, 4}, {12, 4}, {200, 16}, {5, 8}, {1, 1},
                                    {0, 3}, {97, 97}, {98, 97}};
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    const size_t n = cases[k][0], B = cases[k][1];
    int count = -1;
    NNG_REQUIRE_SUCCESS(nng_ex8_batch_count(n, B, &count), "ex8_batch_count");
    char what[96];
    snprintf(what, sizeof what, "the number of batches of %zu rows that cover %zu rows",
             B, n);
    NNG_EXPECT_CLOSE(what, count, (double) nn_data_batch_count(n, B), 0.0);
  }
}

static void
batch_count_rejects_a_batch_size_of_zero(void **state)
{
  (void) state;
  int count = 42;
  NNG_EXPECT_STATUS(nng_ex8_batch_count(10, 0, &count), GSL_EDOM, "ex8_batch_count",
                    "a batch size of 0");
  NNG_EXPECT_CLOSE("ex8_batch_count's count after the error (it must be left as it "
                   "was)", count, 42, 0.0);
}

/* ===== ex8_batch ===== */

#define N 10
#define D 3

/* A data set of N rows of D inputs, its labels, and the order of one
 * shuffle by the library (seed SEED), as doubles for the call. */
static void
make_data(double *X, double *y, double *order, unsigned long seed)
{
  nng_fill_uniform(X, N * D, -3, 3, seed);
  for (size_t r = 0; r < N; r++)
    y[r] = (double) (r % 3 == 1);
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_permutation *p = gsl_permutation_alloc(N);
  gsl_rng_set(rng, seed);
  nn_data_shuffle(rng, p);
  for (size_t i = 0; i < N; i++)
    order[i] = (double) gsl_permutation_get(p, i);
  gsl_permutation_free(p);
  gsl_rng_free(rng);
}

/* The library's batch k of B rows: into eX (B, D) and ey (B), which keep
 * what they held past the rows copied; returns the rows copied. */
static size_t
reference_batch(const double *X, const double *y, const double *order, size_t k,
                size_t B, double *eX, double *ey)
{
  size_t idx[N], rows = 0;
  for (size_t i = 0; i < N; i++)
    idx[i] = (size_t) order[i];
  gsl_permutation p = {N, idx};
  gsl_matrix_view Xv = gsl_matrix_view_array((double *) X, N, D);
  gsl_vector_view yv = gsl_vector_view_array((double *) y, N);
  nn_data data = {&Xv.matrix, &yv.vector};
  gsl_matrix_view Xb = gsl_matrix_view_array(eX, B, D);
  gsl_vector_view yb = gsl_vector_view_array(ey, B);
  nn_data_batch(&data, &p, k, &Xb.matrix, &yb.vector, &rows);
  return rows;
}

/* Ask the student for batch k of B rows (Xb and yb start at 7.25) and
 * compare with the library's. */
static void
compare_batch(const double *X, const double *y, const double *order, size_t k, size_t B)
{
  double Xb[4 * D], yb[4], eX[4 * D], ey[4];
  nng_set_all(Xb, B * D, 7.25);
  nng_set_all(yb, B, 7.25);
  nng_set_all(eX, B * D, 7.25);
  nng_set_all(ey, B, 7.25);
  const size_t want = reference_batch(X, y, order, k, B, eX, ey);
  gsl_matrix_const_view Xv = gsl_matrix_const_view_array(X, N, D);
  gsl_vector_const_view yv = gsl_vector_const_view_array(y, N);
  gsl_vector_const_view ov = gsl_vector_const_view_array(order, N);
  gsl_matrix_view Xbv = gsl_matrix_view_array(Xb, B, D), eXv = gsl_matrix_view_array(eX, B, D);
  gsl_vector_view ybv = gsl_vector_view_array(yb, B), eyv = gsl_vector_view_array(ey, B);
  int rows = -1;
  NNG_REQUIRE_SUCCESS(nng_ex8_batch(&Xv.matrix, &yv.vector, &ov.vector, k, &Xbv.matrix,
                                    &ybv.vector, &rows), "ex8_batch");
  char what[200];
  snprintf(what, sizeof what, "*rows for batch %zu of %d rows each, out of %d rows", k,
           (int) B, N);
  NNG_EXPECT_CLOSE(what, rows, (double) want, 0.0);
  snprintf(what, sizeof what, "Xb for batch %zu of %zu rows (row i: row order[%zu + i] "
           "of X%s)", k, B, k * B, want < B ? "; the rows past *rows as they were, 7.25" : "");
  NNG_EXPECT_MATRIX_CLOSE(what, &Xbv.matrix, &eXv.matrix, 0.0);
  snprintf(what, sizeof what, "yb for batch %zu of %zu rows (entry i: y[order[%zu + i]]%s)",
           k, B, k * B, want < B ? "; the entries past *rows as they were, 7.25" : "");
  NNG_EXPECT_VECTOR_CLOSE(what, &ybv.vector, &eyv.vector, 0.0);
}

static void
batch_copies_rows_in_the_shuffled_order(void **state)
{
  (void) state;
  double X[N * D], y[N], order[N];
  make_data(X, y, order, 801);
  compare_batch(X, y, order, 0, 4);
  compare_batch(X, y, order, 1, 4);
  compare_batch(X, y, order, 4, 2);
}

static void
last_batch_is_short(void **state)
{
  (void) state;
  double X[N * D], y[N], order[N];
  make_data(X, y, order, 802);
  compare_batch(X, y, order, 2, 4);  /* rows 8 and 9 of the order */
  compare_batch(X, y, order, 3, 3);  /* row 9 alone */
}

static void
batch_rejects_bad_shapes_and_batches(void **state)
{
  (void) state;
  double X[N * D], y[N], order[N], Xb[4 * D], yb[5];
  make_data(X, y, order, 803);
  nng_set_all(Xb, 4 * D, 5.5);
  nng_set_all(yb, 5, 6.5);
  double order9[N - 1];
  for (size_t i = 0; i < N - 1; i++)
    order9[i] = (double) (N - 2 - i);
  gsl_matrix_const_view Xv = gsl_matrix_const_view_array(X, N, D);
  gsl_vector_const_view yv = gsl_vector_const_view_array(y, N);
  gsl_vector_const_view y9 = gsl_vector_const_view_array(y, N - 1);
  gsl_vector_const_view ov = gsl_vector_const_view_array(order, N);
  gsl_vector_const_view o9 = gsl_vector_const_view_array(order9, N - 1);
  gsl_matrix_view Xb4 = gsl_matrix_view_array(Xb, 4, D);
  gsl_matrix_view Xb2 = gsl_matrix_view_array(Xb, 4, D - 1);  /* D - 1 columns */
  gsl_vector_view yb4 = gsl_vector_view_array(yb, 4), yb5 = gsl_vector_view_array(yb, 5);
  struct {
    const gsl_vector *y, *order;
    size_t k;
    gsl_matrix *Xb;
    gsl_vector *yb;
    const char *situation;
  } cases[] = {
    {&y9.vector, &ov.vector, 0, &Xb4.matrix, &yb4.vector, "X of 10 rows but y of 9"},
    {&yv.vector, &o9.vector, 0, &Xb4.matrix, &yb4.vector, "X of 10 rows but order of 9"},
    {&yv.vector, &ov.vector, 0, &Xb2.matrix, &yb4.vector, "X of 3 columns but Xb of 2"},
    {&yv.vector, &ov.vector, 0, &Xb4.matrix, &yb5.vector, "Xb of 4 rows but yb of 5"},
    {&yv.vector, &ov.vector, 3, &Xb4.matrix, &yb4.vector,
     "batch 3 of 10 rows in batches of 4 (there are 3: 0, 1 and 2)"},
  };
  int rows = 99;
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
    NNG_EXPECT_STATUS(nng_ex8_batch(&Xv.matrix, cases[k].y, cases[k].order, cases[k].k,
                                    cases[k].Xb, cases[k].yb, &rows),
                      GSL_EBADLEN, "ex8_batch", cases[k].situation);
  NNG_EXPECT_TRUE(nng_all_equal(Xb, 4 * D, 5.5) && nng_all_equal(yb, 5, 6.5) && rows == 99,
                  "ex8_batch wrote into Xb, yb or *rows although it returned an error: "
                  "check everything before writing anything.");
}

/* ===== ex8_neuron_gradient ===== */

/* The library's cost and gradient of the neuron theta (d + 1) on X (B, d)
 * and y (B): a network of one layer with no activation gives the scores z,
 * nn_loss_bce_logits the cost and ∂J/∂z, the backward pass ∂J/∂theta. */
static double
reference_gradient(const double *theta, const double *X, const double *y, size_t B,
                   size_t d, double *grad)
{
  const size_t sizes[] = {d, 1};
  const nn_activation_kind acts[] = {NN_ACTIVATION_IDENTITY};
  nn_network *net = nn_network_alloc(sizes, 2, acts, B);
  double dz[64], J = NAN;
  gsl_vector_const_view t = gsl_vector_const_view_array(theta, d + 1);
  gsl_matrix_const_view Xv = gsl_matrix_const_view_array(X, B, d);
  gsl_matrix_const_view Y = gsl_matrix_const_view_array(y, B, 1);
  gsl_matrix_view dZ = gsl_matrix_view_array(dz, B, 1);
  gsl_vector_memcpy(net->params, &t.vector);
  nn_network_zero_grad(net);
  nn_network_forward(net, NULL, &Xv.matrix);
  nn_loss_bce_logits(&J, NULL, &dZ.matrix, nn_network_output(net), &Y.matrix);
  nn_network_backward(net, NULL, &dZ.matrix);
  for (size_t i = 0; i <= d; i++)
    grad[i] = gsl_vector_get(net->grads, i);
  nn_network_free(net);
  return J;
}

/* Call the student's ex8_neuron_gradient on stack arrays. */
static int
student_gradient(const double *theta, const double *X, const double *y, size_t B,
                 size_t d, double *grad, double *cost)
{
  gsl_vector_const_view t = gsl_vector_const_view_array(theta, d + 1);
  gsl_matrix_const_view Xv = gsl_matrix_const_view_array(X, B, d);
  gsl_vector_const_view yv = gsl_vector_const_view_array(y, B);
  gsl_vector_view g = gsl_vector_view_array(grad, d + 1);
  return nng_ex8_neuron_gradient(&t.vector, &Xv.matrix, &yv.vector, &g.vector, cost);
}

static void
gradient_matches_the_library(void **state)
{
  (void) state;
  enum { B = 6, d = 3 };
  double theta[d + 1], X[B * d], y[B] = {1, 0, 0, 1, 1, 0};
  double grad[d + 1], want[d + 1], cost = NAN;
  nng_fill_uniform(theta, d + 1, -1, 1, 804);
  nng_fill_uniform(X, B * d, -2, 2, 805);
  nng_set_all(grad, d + 1, NAN);
  const double J = reference_gradient(theta, X, y, B, d, want);
  NNG_REQUIRE_SUCCESS(student_gradient(theta, X, y, B, d, grad, &cost),
                      "ex8_neuron_gradient");
  NNG_EXPECT_CLOSE("the cost J, the mean binary cross-entropy of 6 samples", cost, J,
                   1e-12);
  gsl_vector_view g = gsl_vector_view_array(grad, d + 1), w = gsl_vector_view_array(want, d + 1);
  NNG_EXPECT_VECTOR_CLOSE("∂J/∂theta = (∂J/∂w_1, ∂J/∂w_2, ∂J/∂w_3, ∂J/∂b) on 6 samples",
                          &g.vector, &w.vector, 1e-12);
  /* soft labels are labels too: y in [0, 1] */
  double soft[B] = {0.25, 0.5, 1, 0, 0.75, 0.125};
  nng_set_all(grad, d + 1, NAN);
  const double Js = reference_gradient(theta, X, soft, B, d, want);
  NNG_REQUIRE_SUCCESS(student_gradient(theta, X, soft, B, d, grad, &cost),
                      "ex8_neuron_gradient");
  NNG_EXPECT_CLOSE("J with the labels (0.25, 0.5, 1, 0, 0.75, 0.125)", cost, Js, 1e-12);
  NNG_EXPECT_VECTOR_CLOSE("∂J/∂theta with the labels (0.25, 0.5, 1, 0, 0.75, 0.125)",
                          &g.vector, &w.vector, 1e-12);
}

/* J(theta) for the gradient check: params is the batch. */
typedef struct { const double *X, *y; size_t B, d; } batch_of;

static double
batch_cost(const gsl_vector *theta, void *params)
{
  const batch_of *b = params;
  double grad[8];
  return reference_gradient(theta->data, b->X, b->y, b->B, b->d, grad);
}

static void
gradient_passes_a_numerical_check(void **state)
{
  (void) state;
  enum { B = 5, d = 2 };
  double theta[d + 1], X[B * d], y[B] = {0, 1, 1, 0, 1}, grad[d + 1], num[d + 1];
  double cost = NAN, error = 1.0;
  nng_fill_uniform(theta, d + 1, -1.5, 1.5, 806);
  nng_fill_uniform(X, B * d, -2, 2, 807);
  nng_set_all(grad, d + 1, 0.0);
  batch_of b = {X, y, B, d};
  gsl_vector_view t = gsl_vector_view_array(theta, d + 1);
  gsl_vector_view n = gsl_vector_view_array(num, d + 1), g = gsl_vector_view_array(grad, d + 1);
  nn_gradcheck_numerical(&n.vector, batch_cost, &b, &t.vector, NN_GRADCHECK_STEP);
  NNG_REQUIRE_SUCCESS(student_gradient(theta, X, y, B, d, grad, &cost),
                      "ex8_neuron_gradient");
  int status = nn_gradcheck_relative_error(&error, NULL, &g.vector, &n.vector);
  NNG_EXPECT_TRUE(status == GSL_SUCCESS,
                  "ex8_neuron_gradient returned a gradient of zeros: it cannot be "
                  "checked.");
  NNG_EXPECT_TRUE(error < 1e-7,
                  "ex8_neuron_gradient gave (%.10g, %.10g, %.10g), but central "
                  "differences of J give (%.10g, %.10g, %.10g): relative error %.2g, "
                  "expected below 1e-7.", grad[0], grad[1], grad[2], num[0], num[1],
                  num[2], error);
}

static void
gradient_is_finite_for_large_scores(void **state)
{
  (void) state;
  /* z = w·x + b = 40, -40, 40, -40, 0.5: each of the first four is sure
   * and wrong or sure and right; σ(40) is 1 in doubles */
  enum { B = 5, d = 2 };
  double theta[d + 1] = {20, -20, 0}, X[B * d] = {1, -1, -1, 1, 2, 0, 0, 2, 0.025, 0};
  double y[B] = {0, 1, 1, 0, 1}, grad[d + 1], want[d + 1], cost = NAN;
  nng_set_all(grad, d + 1, NAN);
  const double J = reference_gradient(theta, X, y, B, d, want);
  NNG_REQUIRE_SUCCESS(student_gradient(theta, X, y, B, d, grad, &cost),
                      "ex8_neuron_gradient");
  NNG_EXPECT_CLOSE("J for scores z = (40, -40, 40, -40, 0.5) with labels (0, 1, 1, 0, 1)",
                   cost, J, 1e-12);
  gsl_vector_view g = gsl_vector_view_array(grad, d + 1), w = gsl_vector_view_array(want, d + 1);
  NNG_EXPECT_VECTOR_CLOSE("∂J/∂theta for scores z = (40, -40, 40, -40, 0.5)", &g.vector,
                          &w.vector, 1e-12);
}

static void
gradient_rejects_bad_shapes_and_labels(void **state)
{
  (void) state;
  double theta[5] = {0.5, -0.25, 1.5, 0.75, 2.0}, X[4 * 3], y[5] = {1, 0, 1, 0, 1};
  double grad[5], cost = 3.25;
  nng_fill_uniform(X, 12, -1, 1, 808);
  nng_set_all(grad, 5, 4.5);
  gsl_vector_const_view t4 = gsl_vector_const_view_array(theta, 4);
  gsl_vector_const_view t3 = gsl_vector_const_view_array(theta, 3);
  gsl_matrix_const_view Xv = gsl_matrix_const_view_array(X, 4, 3);
  gsl_vector_const_view y4 = gsl_vector_const_view_array(y, 4);
  gsl_vector_const_view y5 = gsl_vector_const_view_array(y, 5);
  gsl_vector_view g4 = gsl_vector_view_array(grad, 4), g5 = gsl_vector_view_array(grad, 5);
  NNG_EXPECT_STATUS(nng_ex8_neuron_gradient(&t3.vector, &Xv.matrix, &y4.vector, &g4.vector,
                                            &cost),
                    GSL_EBADLEN, "ex8_neuron_gradient", "X of 3 columns but theta of 3 "
                    "entries (it needs 4)");
  NNG_EXPECT_STATUS(nng_ex8_neuron_gradient(&t4.vector, &Xv.matrix, &y4.vector, &g5.vector,
                                            &cost),
                    GSL_EBADLEN, "ex8_neuron_gradient", "theta of 4 entries but grad of 5");
  NNG_EXPECT_STATUS(nng_ex8_neuron_gradient(&t4.vector, &Xv.matrix, &y5.vector, &g4.vector,
                                            &cost),
                    GSL_EBADLEN, "ex8_neuron_gradient", "X of 4 rows but y of 5");
  double bad[4] = {1, 0, 1.5, 0}, ynan[4] = {0, NAN, 1, 0};
  gsl_vector_const_view yb = gsl_vector_const_view_array(bad, 4);
  gsl_vector_const_view yn = gsl_vector_const_view_array(ynan, 4);
  NNG_EXPECT_STATUS(nng_ex8_neuron_gradient(&t4.vector, &Xv.matrix, &yb.vector, &g4.vector,
                                            &cost),
                    GSL_EDOM, "ex8_neuron_gradient", "a label of 1.5");
  NNG_EXPECT_STATUS(nng_ex8_neuron_gradient(&t4.vector, &Xv.matrix, &yn.vector, &g4.vector,
                                            &cost),
                    GSL_EDOM, "ex8_neuron_gradient", "a label that is NaN");
  NNG_EXPECT_TRUE(nng_all_equal(grad, 5, 4.5) && cost == 3.25,
                  "ex8_neuron_gradient wrote into grad or *cost although it returned an "
                  "error: check everything before writing anything.");
}

/* ===== ex8_sgd_step ===== */

/* The library's SGD step of rate lr on theta (n entries). */
static void
reference_step(double *theta, const double *grad, size_t n, double lr)
{
  nn_optim_options o = nn_optim_defaults(NN_OPTIM_SGD);
  o.lr = lr;
  nn_optim *opt = nn_optim_alloc(NN_OPTIM_SGD, n, &o);
  gsl_vector_view t = gsl_vector_view_array(theta, n);
  gsl_vector_const_view g = gsl_vector_const_view_array(grad, n);
  nn_optim_step(opt, &t.vector, &g.vector);
  nn_optim_free(opt);
}

static void
sgd_step_moves_against_the_gradient(void **state)
{
  (void) state;
  enum { n = 7 };
  double theta[n], grad[n], start[n], want[n];
  nng_fill_uniform(theta, n, -2, 2, 809);
  nng_fill_uniform(grad, n, -3, 3, 810);
  for (size_t i = 0; i < n; i++)
    start[i] = want[i] = theta[i];
  reference_step(want, grad, n, 0.0625);
  gsl_vector_view t = gsl_vector_view_array(theta, n), g = gsl_vector_view_array(grad, n);
  gsl_vector_view s = gsl_vector_view_array(start, n), w = gsl_vector_view_array(want, n);
  NNG_REQUIRE_SUCCESS(nng_ex8_sgd_step(&t.vector, &g.vector, 0.0625), "ex8_sgd_step");
  nng_show_input_vector("grad", &g.vector);
  NNG_EXPECT_STEP_CLOSE("theta − 0.0625 grad, 7 entries", &t.vector, &w.vector, &s.vector,
                        1e-15);
}

static void
sgd_step_rejects_bad_rates_and_sizes(void **state)
{
  (void) state;
  double theta[3] = {0.5, -0.25, 1.25}, grad[4] = {1.0, 2.0, -1.0, 3.0};
  gsl_vector_view t = gsl_vector_view_array(theta, 3);
  gsl_vector_const_view g3 = gsl_vector_const_view_array(grad, 3);
  gsl_vector_const_view g4 = gsl_vector_const_view_array(grad, 4);
  const double rates[] = {0.0, -0.01, NAN, INFINITY};
  const char *names[] = {"lr = 0", "lr = -0.01", "lr = NaN", "lr = infinity"};
  for (size_t k = 0; k < 4; k++)
    NNG_EXPECT_STATUS(nng_ex8_sgd_step(&t.vector, &g3.vector, rates[k]), GSL_EDOM,
                      "ex8_sgd_step", names[k]);
  NNG_EXPECT_STATUS(nng_ex8_sgd_step(&t.vector, &g4.vector, 0.1), GSL_EBADLEN,
                    "ex8_sgd_step", "theta of 3 entries and grad of 4");
  NNG_EXPECT_TRUE(theta[0] == 0.5 && theta[1] == -0.25 && theta[2] == 1.25,
                  "ex8_sgd_step moved theta although it returned an error: theta = "
                  "(%g, %g, %g), it was (0.5, -0.25, 1.25).", theta[0], theta[1],
                  theta[2]);
}

/* ===== ex8_train ===== */

#define QN (2 * NN_DATA_QWERTIES_N)

/* The qwerties of lecture 8 drawn with SEED, into X (QN, 2) and y (QN). */
static void
qwerties(double *X, double *y, unsigned long seed)
{
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(rng, seed);
  nn_data *q = nn_data_qwerties(rng);
  for (size_t r = 0; r < QN; r++) {
    X[2 * r] = gsl_matrix_get(q->X, r, 0);
    X[2 * r + 1] = gsl_matrix_get(q->X, r, 1);
    y[r] = gsl_vector_get(q->y, r);
  }
  nn_data_free(q);
  gsl_rng_free(rng);
}

/* The library's training of the neuron theta (3 entries) on the qwerties
 * X, y: the loop of the exercise header, shuffling with a Mersenne Twister
 * seeded with SEED, each step's gradient by a one-layer network and
 * nn_loss_bce_logits, the step by an SGD optimizer. */
static void
reference_train(double *theta, const double *X, const double *y, double lr,
                size_t epochs, size_t B, unsigned long seed)
{
  const size_t sizes[] = {2, 1};
  const nn_activation_kind acts[] = {NN_ACTIVATION_IDENTITY};
  nn_network *net = nn_network_alloc(sizes, 2, acts, B);
  nn_optim_options o = nn_optim_defaults(NN_OPTIM_SGD);
  o.lr = lr;
  nn_optim *opt = nn_optim_alloc(NN_OPTIM_SGD, 3, &o);
  gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_permutation *order = gsl_permutation_alloc(QN);
  gsl_matrix *Xb = gsl_matrix_alloc(B, 2), *dZ = gsl_matrix_alloc(B, 1);
  gsl_vector *yb = gsl_vector_alloc(B);
  gsl_matrix_view Xv = gsl_matrix_view_array((double *) X, QN, 2);
  gsl_vector_view yv = gsl_vector_view_array((double *) y, QN);
  nn_data data = {&Xv.matrix, &yv.vector};
  gsl_vector_view t = gsl_vector_view_array(theta, 3);
  gsl_vector_memcpy(net->params, &t.vector);
  gsl_rng_set(rng, seed);
  for (size_t e = 0; e < epochs; e++) {
    nn_data_shuffle(rng, order);
    for (size_t k = 0; k < nn_data_batch_count(QN, B); k++) {
      size_t rows = 0;
      nn_data_batch(&data, order, k, Xb, yb, &rows);
      gsl_matrix_view Xk = gsl_matrix_submatrix(Xb, 0, 0, rows, 2);
      gsl_matrix_view Gk = gsl_matrix_submatrix(dZ, 0, 0, rows, 1);
      gsl_matrix_const_view Yk = gsl_matrix_const_view_vector(yb, rows, 1);
      nn_network_zero_grad(net);
      nn_network_forward(net, NULL, &Xk.matrix);
      nn_loss_bce_logits(NULL, NULL, &Gk.matrix, nn_network_output(net), &Yk.matrix);
      nn_network_backward(net, NULL, &Gk.matrix);
      nn_optim_step(opt, net->params, net->grads);
    }
  }
  gsl_vector_memcpy(&t.vector, net->params);
  gsl_matrix_free(Xb);
  gsl_matrix_free(dZ);
  gsl_vector_free(yb);
  gsl_permutation_free(order);
  gsl_rng_free(rng);
  nn_optim_free(opt);
  nn_network_free(net);
}

/* The share of the qwerties X, y (QN rows) the neuron theta classifies
 * right, by the library: class 1 when σ(w·x + b) > 1/2. */
static double
accuracy_of(const double *theta, const double *X, const double *y)
{
  const size_t sizes[] = {2, 1};
  const nn_activation_kind acts[] = {NN_ACTIVATION_SIGMOID};
  nn_network *net = nn_network_alloc(sizes, 2, acts, QN);
  gsl_vector_const_view t = gsl_vector_const_view_array(theta, 3);
  gsl_matrix_const_view Xv = gsl_matrix_const_view_array(X, QN, 2);
  gsl_vector_const_view yv = gsl_vector_const_view_array(y, QN);
  double accuracy = NAN;
  gsl_vector_memcpy(net->params, &t.vector);
  nn_train_accuracy(net, &Xv.matrix, &yv.vector, &accuracy);
  nn_network_free(net);
  return accuracy;
}

/* ex8_train builds on the four other functions: each checked quietly on a
 * simple case, so that a wrong one is named ("fix ex8_batch first"). */
static void
train_builds_on_the_pieces(void)
{
  int count = -1;
  nng_builds_on("ex8_batch_count",
                nng_ex8_batch_count(10, 4, &count) == GSL_SUCCESS && count == 3);
  double X[N * D], y[N], order[N], Xb[4 * D], yb[4], eX[4 * D], ey[4];
  make_data(X, y, order, 811);
  nng_set_all(Xb, 4 * D, 0.0);
  nng_set_all(yb, 4, 0.0);
  nng_set_all(eX, 4 * D, 0.0);
  nng_set_all(ey, 4, 0.0);
  const size_t want = reference_batch(X, y, order, 1, 4, eX, ey);
  gsl_matrix_const_view Xv = gsl_matrix_const_view_array(X, N, D);
  gsl_vector_const_view yv = gsl_vector_const_view_array(y, N);
  gsl_vector_const_view ov = gsl_vector_const_view_array(order, N);
  gsl_matrix_view Xbv = gsl_matrix_view_array(Xb, 4, D);
  gsl_vector_view ybv = gsl_vector_view_array(yb, 4);
  int rows = -1;
  int ok = nng_ex8_batch(&Xv.matrix, &yv.vector, &ov.vector, 1, &Xbv.matrix, &ybv.vector,
                         &rows) == GSL_SUCCESS
           && (size_t) rows == want && memcmp(Xb, eX, sizeof Xb) == 0
           && memcmp(yb, ey, sizeof yb) == 0;
  nng_builds_on("ex8_batch", ok);
  double theta[D + 1] = {0.5, -1.25, 0.75, 0.25}, grad[D + 1], wg[D + 1], cost = NAN;
  const double J = reference_gradient(theta, X, y, N, D, wg);
  ok = student_gradient(theta, X, y, N, D, grad, &cost) == GSL_SUCCESS
       && fabs(cost - J) <= 1e-12 * fmax(1, fabs(J));
  for (size_t i = 0; i <= D; i++)
    ok = ok && fabs(grad[i] - wg[i]) <= 1e-12 * fmax(1, fabs(wg[i]));
  nng_builds_on("ex8_neuron_gradient", ok);
  double ws[D + 1];
  for (size_t i = 0; i <= D; i++)
    ws[i] = theta[i];
  reference_step(ws, wg, D + 1, 0.3);
  gsl_vector_view t = gsl_vector_view_array(theta, D + 1);
  gsl_vector_const_view g = gsl_vector_const_view_array(wg, D + 1);
  ok = nng_ex8_sgd_step(&t.vector, &g.vector, 0.3) == GSL_SUCCESS;
  for (size_t i = 0; i <= D; i++)
    ok = ok && fabs(theta[i] - ws[i]) <= 1e-14;
  nng_builds_on("ex8_sgd_step", ok);
}

/* Train the student's neuron from theta0 and compare with the library's
 * training from the same start. */
static void
compare_training(const double *theta0, double lr, size_t epochs, size_t B,
                 unsigned long data_seed, unsigned long seed)
{
  double X[QN * 2], y[QN], theta[3], want[3];
  qwerties(X, y, data_seed);
  for (size_t i = 0; i < 3; i++)
    theta[i] = want[i] = theta0[i];
  reference_train(want, X, y, lr, epochs, B, seed);
  train_builds_on_the_pieces();
  gsl_vector_view t = gsl_vector_view_array(theta, 3), w = gsl_vector_view_array(want, 3);
  gsl_matrix_const_view Xv = gsl_matrix_const_view_array(X, QN, 2);
  gsl_vector_const_view yv = gsl_vector_const_view_array(y, QN);
  NNG_REQUIRE_SUCCESS(nng_ex8_train(&t.vector, &Xv.matrix, &yv.vector, lr, epochs, B,
                                    (int) seed), "ex8_train");
  char what[200];
  snprintf(what, sizeof what, "theta = (w_1, w_2, b) after %zu epochs in batches of %zu "
           "with lr = %g, from (%g, %g, %g)", epochs, B, lr, theta0[0], theta0[1],
           theta0[2]);
  NNG_EXPECT_VECTOR_CLOSE(what, &t.vector, &w.vector, 1e-9);
}

static void
train_follows_the_library(void **state)
{
  (void) state;
  const double theta0[3] = {0.125, -0.25, 0.5};
  compare_training(theta0, 0.05, 3, 16, 812, 813);  /* 200 rows: the last batch has 8 */
  compare_training(theta0, 0.02, 2, 64, 814, 815);
}

static void
train_reaches_the_stated_accuracy(void **state)
{
  (void) state;
  double X[QN * 2], y[QN], Xt[QN * 2], yt[QN], theta[3] = {0, 0, 0};
  qwerties(X, y, 816);
  qwerties(Xt, yt, 817);  /* new qwerties, for the test */
  train_builds_on_the_pieces();
  gsl_vector_view t = gsl_vector_view_array(theta, 3);
  gsl_matrix_const_view Xv = gsl_matrix_const_view_array(X, QN, 2);
  gsl_vector_const_view yv = gsl_vector_const_view_array(y, QN);
  NNG_REQUIRE_SUCCESS(nng_ex8_train(&t.vector, &Xv.matrix, &yv.vector, 0.05, 50, 16, 818),
                      "ex8_train");
  const double accuracy = accuracy_of(theta, Xt, yt);
  NNG_EXPECT_TRUE(accuracy >= 0.9,
                  "after 50 epochs on the qwerties (lr 0.05, batches of 16) your neuron "
                  "theta = (%g, %g, %g) classifies %.1f%% of new qwerties right; "
                  "expected at least 90%%.", theta[0], theta[1], theta[2],
                  100 * accuracy);
}

static void
train_rejects_bad_arguments(void **state)
{
  (void) state;
  double X[QN * 2], y[QN], theta[4] = {0.5, -0.5, 0.25, 9.5};
  qwerties(X, y, 819);
  gsl_vector_view t3 = gsl_vector_view_array(theta, 3), t4 = gsl_vector_view_array(theta, 4);
  gsl_matrix_const_view Xv = gsl_matrix_const_view_array(X, QN, 2);
  gsl_vector_const_view yv = gsl_vector_const_view_array(y, QN);
  gsl_vector_const_view y9 = gsl_vector_const_view_array(y, QN - 1);
  NNG_EXPECT_STATUS(nng_ex8_train(&t4.vector, &Xv.matrix, &yv.vector, 0.05, 1, 16, 1),
                    GSL_EBADLEN, "ex8_train", "X of 2 columns but theta of 4 entries");
  NNG_EXPECT_STATUS(nng_ex8_train(&t3.vector, &Xv.matrix, &y9.vector, 0.05, 1, 16, 1),
                    GSL_EBADLEN, "ex8_train", "X of 200 rows but y of 199");
  NNG_EXPECT_STATUS(nng_ex8_train(&t3.vector, &Xv.matrix, &yv.vector, 0.05, 1, 0, 1),
                    GSL_EDOM, "ex8_train", "a batch size of 0");
  NNG_EXPECT_STATUS(nng_ex8_train(&t3.vector, &Xv.matrix, &yv.vector, 0.05, 0, 16, 1),
                    GSL_EDOM, "ex8_train", "0 epochs");
  NNG_EXPECT_STATUS(nng_ex8_train(&t3.vector, &Xv.matrix, &yv.vector, -0.05, 1, 16, 1),
                    GSL_EDOM, "ex8_train", "lr = -0.05");
  NNG_EXPECT_STATUS(nng_ex8_train(&t3.vector, &Xv.matrix, &yv.vector, NAN, 1, 16, 1),
                    GSL_EDOM, "ex8_train", "lr = NaN");
  y[QN - 1] = 2.0;  /* the last row's label: the last batch would meet it */
  NNG_EXPECT_STATUS(nng_ex8_train(&t3.vector, &Xv.matrix, &yv.vector, 0.05, 1, 16, 1),
                    GSL_EDOM, "ex8_train", "a label of 2");
  NNG_EXPECT_TRUE(theta[0] == 0.5 && theta[1] == -0.5 && theta[2] == 0.25,
                  "ex8_train changed theta although it returned an error: theta = "
                  "(%g, %g, %g), it was (0.5, -0.5, 0.25). Check every argument, and "
                  "every label, before the first step.", theta[0], theta[1], theta[2]);
}

const nng_test nng_ex08_tests[] = {
  {"batch_count_rounds_up", batch_count_rounds_up, "ex8_batch_count", 1,
   "⌈n / B⌉ in whole numbers: n / B counts the full batches, and one more when "
   "n % B is not 0. n = 0 needs no batch at all."},
  {"batch_count_rejects_a_batch_size_of_zero", batch_count_rejects_a_batch_size_of_zero,
   "ex8_batch_count", 1,
   "Test batch_size == 0 before you divide by it: return GSL_EDOM and leave *count "
   "alone."},
  {"batch_copies_rows_in_the_shuffled_order", batch_copies_rows_in_the_shuffled_order,
   "ex8_batch", 1,
   "Row i of batch k is row gsl_permutation_get(order, k·B + i) of X, not row k·B + i; "
   "the label comes from the same row of y. B is Xb->size1."},
  {"last_batch_is_short", last_batch_is_short, "ex8_batch", 1,
   "The last batch holds n − k·B rows when that is fewer than B: copy only those, set "
   "*rows to their number, and leave the rest of Xb and yb as it was."},
  {"batch_rejects_bad_shapes_and_batches",
   batch_rejects_bad_shapes_and_batches, "ex8_batch", 1,
   "y and order need X->size1 entries, Xb X->size2 columns, yb Xb->size1 entries, and "
   "k must be below the number of batches (ex8_batch_count): GSL_EBADLEN before "
   "writing anything."},
  {"gradient_matches_the_library", gradient_matches_the_library, "ex8_neuron_gradient", 1,
   "For each row r: z = w·x_r + b, p = σ(z); add (p − y_r)·x_ri / B to entry i of grad "
   "and (p − y_r) / B to the last entry (the bias). Set grad to 0 first. Every entry "
   "6 times too large: the division by B = 6 is missing."},
  {"gradient_passes_a_numerical_check", gradient_passes_a_numerical_check,
   "ex8_neuron_gradient", 1,
   "Compare each entry of your gradient with (J(θ + h e_i) − J(θ − h e_i)) / (2h), "
   "h = 1e-5: the entry that differs points to the wrong term."},
  {"gradient_is_finite_for_large_scores", gradient_is_finite_for_large_scores,
   "ex8_neuron_gradient", 1,
   "σ(40) is exactly 1 in doubles, so log(1 − p) is −∞. Compute each loss from z: "
   "max(z, 0) − z·y + log1p(exp(−|z|))."},
  {"gradient_rejects_bad_shapes_and_labels", gradient_rejects_bad_shapes_and_labels,
   "ex8_neuron_gradient", 1,
   "theta and grad need X->size2 + 1 entries, y X->size1 (GSL_EBADLEN); !(y >= 0 && "
   "y <= 1) catches NaN too (GSL_EDOM). Check before writing grad or *cost."},
  {"sgd_step_moves_against_the_gradient", sgd_step_moves_against_the_gradient,
   "ex8_sgd_step", 1,
   "theta_i ← theta_i − lr · grad_i for every i: against the gradient, downhill."},
  {"sgd_step_rejects_bad_rates_and_sizes", sgd_step_rejects_bad_rates_and_sizes,
   "ex8_sgd_step", 1,
   "!(lr > 0) is true for 0, negative numbers and NaN; isfinite(lr) rules out infinity "
   "(GSL_EDOM). Sizes that differ are GSL_EBADLEN. Check before moving theta."},
  {"train_follows_the_library", train_follows_the_library, "ex8_train", 1,
   "Every epoch: gsl_permutation_init, then gsl_ran_shuffle(rng, order->data, N, "
   "sizeof (size_t)); then for every batch k, ex8_batch, your gradient on the first "
   "rows rows only, and one step. Draw nothing else from rng."},
  {"train_reaches_the_stated_accuracy", train_reaches_the_stated_accuracy, "ex8_train", 1,
   "If train_follows_the_library passes, this one does too. Otherwise check that every "
   "batch takes a step, and that the last, short batch uses only its rows."},
  {"train_rejects_bad_arguments", train_rejects_bad_arguments, "ex8_train", 1,
   "Check theta (X->size2 + 1 entries), y (X->size1), the batch size, epochs, lr and "
   "every label before the first step: an error half-way would leave theta half "
   "trained."},
  {NULL, NULL, NULL, 0, NULL},
};
