/* SPDX-License-Identifier: GPL-3.0-or-later */
/* suite-ex07.c: the public tests of exercise 7.
 *
 * Each test sends its inputs to the student's function in the probe and
 * compares the answer with the library's (lib/), which is the reference:
 * the scalar autograd (nn/autograd.h) gives the gradients of the add, mul
 * and tanh nodes, and nn_dense_backward those of the dense layer. The
 * gradients are also checked the way the course checks every gradient:
 * against central differences, with a relative error below 1e-7, and a
 * gradient of zeros is refused. Inputs live in arrays on the stack, and
 * anything the library allocates is freed before the first judgement, so a
 * failing test leaks nothing.
 */
#include <config.h>

#include <math.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>

#include <nn/autograd.h>
#include <nn/dense.h>
#include <nn/gradcheck.h>

#include "exercises.h"
#include "remote-ex07.h"
#include "testkit.h"

/* ===== The nodes, by the library's autograd ===== */

enum { NODE_ADD, NODE_MUL, NODE_TANH };

/* ∂L/∂a and ∂L/∂b for L = dc · op(a, b) (for tanh, b is not used), by the
 * library's backward pass. */
static void
autograd_node(int op, double a, double b, double dc, double *ga, double *gb)
{
  nn_autograd *t = nn_autograd_alloc(8);
  nn_value *va = nn_autograd_value(t, a, "a"), *vb = nn_autograd_value(t, b, "b");
  nn_value *c = op == NODE_ADD ? nn_autograd_add(t, va, vb, "c")
                : op == NODE_MUL ? nn_autograd_mul(t, va, vb, "c")
                : nn_autograd_tanh(t, va, "c");
  nn_value *L = nn_autograd_mul(t, c, nn_autograd_value(t, dc, "dc"), "L");
  nn_autograd_backward(t, L);
  *ga = va->grad;
  *gb = vb->grad;
  nn_autograd_free(t);
}

/* ===== ex7_add_backward ===== */

static void
add_backward_passes_dc_to_both(void **state)
{
  (void) state;
  double da = 0.0, db = 0.0, ea, eb;
  autograd_node(NODE_ADD, 0.75, -1.5, 2.385, &ea, &eb);
  NNG_REQUIRE_SUCCESS(nng_ex7_add_backward(2.385, &da, &db), "ex7_add_backward");
  NNG_EXPECT_CLOSE("da after c = a + b with dc = 2.385 (da started at 0)", da, ea, 1e-15);
  NNG_EXPECT_CLOSE("db after c = a + b with dc = 2.385 (db started at 0)", db, eb, 1e-15);
}

static void
add_backward_accumulates(void **state)
{
  (void) state;
  double da = 0.5, db = -1.25;
  NNG_REQUIRE_SUCCESS(nng_ex7_add_backward(-0.375, &da, &db), "ex7_add_backward");
  NNG_EXPECT_CLOSE("da: it held 0.5, then dc = -0.375 was added", da, 0.125, 1e-15);
  NNG_EXPECT_CLOSE("db: it held -1.25, then dc = -0.375 was added", db, -1.625, 1e-15);
}

/* ===== ex7_mul_backward ===== */

static void
mul_backward_swaps_the_operands(void **state)
{
  (void) state;
  double da = 0.25, db = -0.5, ea, eb;
  autograd_node(NODE_MUL, 1.7, -0.6, 2.385, &ea, &eb);
  NNG_REQUIRE_SUCCESS(nng_ex7_mul_backward(1.7, -0.6, 2.385, &da, &db),
                      "ex7_mul_backward");
  NNG_EXPECT_CLOSE("da after c = a·b, a = 1.7, b = -0.6, dc = 2.385 (da held 0.25)",
                   da, 0.25 + ea, 1e-14);
  NNG_EXPECT_CLOSE("db after c = a·b, a = 1.7, b = -0.6, dc = 2.385 (db held -0.5)",
                   db, -0.5 + eb, 1e-14);
}

static void
mul_backward_of_a_square(void **state)
{
  (void) state;
  /* c = a · a: one number, two shares, 2a · dc in all */
  double g = 0.125, expected;
  nn_autograd *t = nn_autograd_alloc(4);
  nn_value *a = nn_autograd_value(t, -1.3, "a");
  nn_value *L = nn_autograd_mul(t, nn_autograd_mul(t, a, a, "c"),
                                nn_autograd_value(t, 0.8, "dc"), "L");
  nn_autograd_backward(t, L);
  expected = 0.125 + a->grad;
  nn_autograd_free(t);
  NNG_REQUIRE_SUCCESS(nng_ex7_mul_backward_square(-1.3, 0.8, &g), "ex7_mul_backward");
  NNG_EXPECT_CLOSE("the gradient of a after c = a·a, a = -1.3, dc = 0.8 (it held "
                   "0.125; both shares land on the same number)", g, expected, 1e-14);
}

static void
nodes_reject_numbers_that_are_not_finite(void **state)
{
  (void) state;
  double da = 3.5, db = 4.5;
  NNG_EXPECT_STATUS(nng_ex7_add_backward(NAN, &da, &db), GSL_EDOM, "ex7_add_backward",
                    "dc = NaN");
  NNG_EXPECT_STATUS(nng_ex7_mul_backward(INFINITY, 1.0, 1.0, &da, &db), GSL_EDOM,
                    "ex7_mul_backward", "a = infinity");
  NNG_EXPECT_STATUS(nng_ex7_mul_backward(1.0, 2.0, -INFINITY, &da, &db), GSL_EDOM,
                    "ex7_mul_backward", "dc = -infinity");
  NNG_EXPECT_TRUE(da == 3.5 && db == 4.5,
                  "a node function changed da or db although it returned an error: "
                  "da = %g, db = %g, they were 3.5 and 4.5.", da, db);
}

/* ===== ex7_tanh_backward ===== */

static void
tanh_backward_uses_the_saved_output(void **state)
{
  (void) state;
  double da = -0.75, ea, unused;
  autograd_node(NODE_TANH, 0.8, 0.0, 1.7, &ea, &unused);
  NNG_REQUIRE_SUCCESS(nng_ex7_tanh_backward(tanh(0.8), 1.7, &da), "ex7_tanh_backward");
  NNG_EXPECT_CLOSE("da after c = tanh(a), c = tanh(0.8), dc = 1.7 (da held -0.75)", da,
                   -0.75 + ea, 1e-14);
}

static void
tanh_backward_passes_a_numerical_check(void **state)
{
  (void) state;
  double as[6];
  nng_fill_uniform(as, 6, -2.5, 2.5, 71);
  for (size_t k = 0; k < 6; k++) {
    double da = 0.0;
    NNG_REQUIRE_SUCCESS(nng_ex7_tanh_backward(tanh(as[k]), 1.0, &da),
                        "ex7_tanh_backward");
    const double h = NN_GRADCHECK_STEP;
    double numerical = (tanh(as[k] + h) - tanh(as[k] - h)) / (2 * h), error = 1.0;
    gsl_vector_view a = gsl_vector_view_array(&da, 1);
    gsl_vector_view n = gsl_vector_view_array(&numerical, 1);
    int status = nn_gradcheck_relative_error(&error, NULL, &a.vector, &n.vector);
    NNG_EXPECT_TRUE(status == GSL_SUCCESS,
                    "ex7_tanh_backward gave da = 0 for a = %.4f: a gradient of zeros "
                    "cannot be checked.", as[k]);
    NNG_EXPECT_TRUE(error < 1e-7,
                    "for c = tanh(%.4f) and dc = 1, ex7_tanh_backward gave da = %.10g "
                    "but the central difference of tanh is %.10g (relative error "
                    "%.2g, expected below 1e-7).", as[k], da, numerical, error);
  }
}

static void
tanh_backward_rejects_a_bad_output(void **state)
{
  (void) state;
  double da = 2.25;
  const double outputs[] = {1.5, -2.0, NAN};
  const char *names[] = {"c = 1.5", "c = -2", "c = NaN"};
  for (size_t k = 0; k < 3; k++)
    NNG_EXPECT_STATUS(nng_ex7_tanh_backward(outputs[k], 1.0, &da), GSL_EDOM,
                      "ex7_tanh_backward", names[k]);
  NNG_EXPECT_STATUS(nng_ex7_tanh_backward(0.5, NAN, &da), GSL_EDOM,
                    "ex7_tanh_backward", "dc = NaN");
  NNG_EXPECT_CLOSE("da after the errors (it must be left as it was)", da, 2.25, 0.0);
}

/* ===== The three nodes together: a neuron ===== */

/* o = tanh(x1 w1 + x2 w2 + b), θ = (x1, w1, x2, w2, b). */
static double
neuron(const gsl_vector *theta, void *params)
{
  (void) params;
  const double *t = theta->data;
  return tanh(t[0] * t[1] + t[2] * t[3] + t[4]);
}

static void
nodes_make_a_neuron_backward(void **state)
{
  (void) state;
  double th[5] = {1.2, -0.7, -0.4, 1.9, 0.3};  /* x1, w1, x2, w2, b */
  const double x1 = th[0], w1 = th[1], x2 = th[2], w2 = th[3], b = th[4];
  /* forward, saving every value */
  const double p1 = x1 * w1, p2 = x2 * w2, s = p1 + p2, n = s + b, o = tanh(n);
  /* backward with the student's nodes, in reverse order: do = 1 */
  double dn = 0, ds = 0, dp1 = 0, dp2 = 0, g[5] = {0, 0, 0, 0, 0};
  NNG_REQUIRE_SUCCESS(nng_ex7_tanh_backward(o, 1.0, &dn), "ex7_tanh_backward");
  NNG_REQUIRE_SUCCESS(nng_ex7_add_backward(dn, &ds, &g[4]), "ex7_add_backward");
  NNG_REQUIRE_SUCCESS(nng_ex7_add_backward(ds, &dp1, &dp2), "ex7_add_backward");
  NNG_REQUIRE_SUCCESS(nng_ex7_mul_backward(x1, w1, dp1, &g[0], &g[1]),
                      "ex7_mul_backward");
  NNG_REQUIRE_SUCCESS(nng_ex7_mul_backward(x2, w2, dp2, &g[2], &g[3]),
                      "ex7_mul_backward");
  /* the library's autograd on the same neuron */
  double e[5];
  nn_autograd *t = nn_autograd_alloc(16);
  nn_value *leaf[5];
  static const char *const names[] = {"x1", "w1", "x2", "w2", "b"};
  for (size_t k = 0; k < 5; k++)
    leaf[k] = nn_autograd_value(t, th[k], names[k]);
  nn_value *out = nn_autograd_tanh(
      t, nn_autograd_add(t, nn_autograd_add(t, nn_autograd_mul(t, leaf[0], leaf[1], NULL),
                                            nn_autograd_mul(t, leaf[2], leaf[3], NULL),
                                            NULL),
                         leaf[4], NULL),
      NULL);
  nn_autograd_backward(t, out);
  for (size_t k = 0; k < 5; k++)
    e[k] = leaf[k]->grad;
  nn_autograd_free(t);
  gsl_vector_view gv = gsl_vector_view_array(g, 5), ev = gsl_vector_view_array(e, 5);
  NNG_EXPECT_VECTOR_CLOSE("(∂o/∂x1, ∂o/∂w1, ∂o/∂x2, ∂o/∂w2, ∂o/∂b) for o = tanh(x1 w1 "
                          "+ x2 w2 + b), from your three node functions", &gv.vector,
                          &ev.vector, 1e-12);
  /* and against central differences */
  double num[5], error = 1.0;
  gsl_vector_view tv = gsl_vector_view_array(th, 5), nv = gsl_vector_view_array(num, 5);
  nn_gradcheck_numerical(&nv.vector, neuron, NULL, &tv.vector, NN_GRADCHECK_STEP);
  int status = nn_gradcheck_relative_error(&error, NULL, &gv.vector, &nv.vector);
  NNG_EXPECT_TRUE(status == GSL_SUCCESS && error < 1e-7,
                  "the neuron's gradient from your nodes fails the central-difference "
                  "check: relative error %.2g, expected below 1e-7.", error);
}

/* ===== ex7_dense_backward ===== */

#define B 4
#define NIN 3
#define NOUT 2

/* The library's dX, dW (added to dW0) and db (added to db0) for the layer
 * (W, b) on X with upstream gradient dY. Whatever it allocates is freed
 * here. */
static void
reference_dense(const double *X, const double *W, const double *dY, const double *dW0,
                const double *db0, double *dX, double *dW, double *db)
{
  double params[NOUT * NIN + NOUT], grads[NOUT * NIN + NOUT];
  for (size_t k = 0; k < NOUT * NIN; k++) {
    params[k] = W[k];
    grads[k] = dW0[k];
  }
  for (size_t j = 0; j < NOUT; j++) {
    params[NOUT * NIN + j] = 0.0;  /* b does not enter the backward pass */
    grads[NOUT * NIN + j] = db0[j];
  }
  gsl_vector_view p = gsl_vector_view_array(params, NOUT * NIN + NOUT);
  gsl_vector_view g = gsl_vector_view_array(grads, NOUT * NIN + NOUT);
  double Y[B * NOUT];
  gsl_matrix_const_view Xv = gsl_matrix_const_view_array(X, B, NIN);
  gsl_matrix_const_view dYv = gsl_matrix_const_view_array(dY, B, NOUT);
  gsl_matrix_view Yv = gsl_matrix_view_array(Y, B, NOUT);
  gsl_matrix_view dXv = gsl_matrix_view_array(dX, B, NIN);
  nn_dense *layer = nn_dense_alloc(NIN, NOUT, B, &p.vector, &g.vector);
  nn_dense_forward(layer, &Yv.matrix, &Xv.matrix);
  nn_dense_backward(layer, &dXv.matrix, &dYv.matrix);
  nn_dense_free(layer);
  for (size_t k = 0; k < NOUT * NIN; k++)
    dW[k] = grads[k];
  for (size_t j = 0; j < NOUT; j++)
    db[j] = grads[NOUT * NIN + j];
}

/* Call the student's ex7_dense_backward on stack arrays. */
static int
student_dense(const double *X, const double *W, const double *dY, double *dX,
              double *dW, double *db)
{
  gsl_matrix_const_view Xv = gsl_matrix_const_view_array(X, B, NIN);
  gsl_matrix_const_view Wv = gsl_matrix_const_view_array(W, NOUT, NIN);
  gsl_matrix_const_view dYv = gsl_matrix_const_view_array(dY, B, NOUT);
  gsl_matrix_view dXv = gsl_matrix_view_array(dX != NULL ? dX : dW, B, NIN);
  gsl_matrix_view dWv = gsl_matrix_view_array(dW, NOUT, NIN);
  gsl_vector_view dbv = gsl_vector_view_array(db, NOUT);
  return nng_ex7_dense_backward(&Xv.matrix, &Wv.matrix, &dYv.matrix,
                                dX != NULL ? &dXv.matrix : NULL, &dWv.matrix,
                                &dbv.vector);
}

static void
dense_backward_matches_the_library(void **state)
{
  (void) state;
  double X[B * NIN], W[NOUT * NIN], dY[B * NOUT], zeros[NOUT * NIN] = {0};
  double dX[B * NIN], dW[NOUT * NIN], db[NOUT], eX[B * NIN], eW[NOUT * NIN], eb[NOUT];
  nng_fill_uniform(X, B * NIN, -2, 2, 72);
  nng_fill_uniform(W, NOUT * NIN, -2, 2, 73);
  nng_fill_uniform(dY, B * NOUT, -1, 1, 74);
  reference_dense(X, W, dY, zeros, zeros, eX, eW, eb);
  nng_set_all(dX, B * NIN, NAN);
  nng_set_all(dW, NOUT * NIN, 0.0);
  nng_set_all(db, NOUT, 0.0);
  NNG_REQUIRE_SUCCESS(student_dense(X, W, dY, dX, dW, db), "ex7_dense_backward");
  gsl_vector_view a = gsl_vector_view_array(dX, B * NIN), e = gsl_vector_view_array(eX, B * NIN);
  NNG_EXPECT_VECTOR_CLOSE("dX = dY W (4x2 times 2x3), row by row", &a.vector, &e.vector,
                          1e-13);
  a = gsl_vector_view_array(dW, NOUT * NIN);
  e = gsl_vector_view_array(eW, NOUT * NIN);
  NNG_EXPECT_VECTOR_CLOSE("dW = dYᵀ X (2x4 times 4x3), row by row", &a.vector, &e.vector,
                          1e-13);
  a = gsl_vector_view_array(db, NOUT);
  e = gsl_vector_view_array(eb, NOUT);
  NNG_EXPECT_VECTOR_CLOSE("db = the column sums of dY", &a.vector, &e.vector, 1e-13);
}

/* J(θ) = Σ (X Wᵀ + b) ⊙ R over θ = (W, b, X) in one vector, so that
 * ∂J/∂Y = R: the gradient check of a dense layer's backward pass. */
static double
dense_cost(const gsl_vector *theta, void *params)
{
  const double *R = params, *t = theta->data;
  const double *W = t, *b = t + NOUT * NIN, *X = t + NOUT * NIN + NOUT;
  double J = 0.0;
  for (size_t r = 0; r < B; r++)
    for (size_t j = 0; j < NOUT; j++) {
      double y = b[j];
      for (size_t i = 0; i < NIN; i++)
        y += X[r * NIN + i] * W[j * NIN + i];
      J += y * R[r * NOUT + j];
    }
  return J;
}

static void
dense_backward_passes_a_gradient_check(void **state)
{
  (void) state;
  enum { NW = NOUT * NIN, NTHETA = NOUT * NIN + NOUT + B * NIN };
  double theta[NTHETA], R[B * NOUT], num[NTHETA], an[NTHETA];
  nng_fill_uniform(theta, NTHETA, -2, 2, 75);
  nng_fill_uniform(R, B * NOUT, -1, 1, 76);
  gsl_vector_view tv = gsl_vector_view_array(theta, NTHETA);
  gsl_vector_view nv = gsl_vector_view_array(num, NTHETA);
  nn_gradcheck_numerical(&nv.vector, dense_cost, R, &tv.vector, NN_GRADCHECK_STEP);
  /* the student's gradients, in the same order: dW, db, dX */
  nng_set_all(an, NTHETA, 0.0);
  NNG_REQUIRE_SUCCESS(student_dense(theta + NW + NOUT, theta, R, an + NW + NOUT, an,
                                    an + NW),
                      "ex7_dense_backward");
  static const struct { const char *name; size_t from, n; } parts[] = {
    {"dW", 0, NW}, {"db", NW, NOUT}, {"dX", NW + NOUT, B * NIN}};
  for (size_t k = 0; k < 3; k++) {
    double error = 1.0;
    gsl_vector_view a = gsl_vector_view_array(an + parts[k].from, parts[k].n);
    gsl_vector_view n = gsl_vector_view_array(num + parts[k].from, parts[k].n);
    int status = nn_gradcheck_relative_error(&error, NULL, &a.vector, &n.vector);
    NNG_EXPECT_TRUE(status == GSL_SUCCESS,
                    "%s is all zeros: a gradient of zeros cannot be checked.",
                    parts[k].name);
    NNG_EXPECT_TRUE(error < 1e-7,
                    "%s fails the central-difference check of J = Σ Y ⊙ dY: relative "
                    "error %.2g, expected below 1e-7.", parts[k].name, error);
  }
}

static void
dense_backward_accumulates_dW_and_db(void **state)
{
  (void) state;
  double X[B * NIN], W[NOUT * NIN], dY[B * NOUT], dW0[NOUT * NIN], db0[NOUT];
  double dX[B * NIN], dW[NOUT * NIN], db[NOUT], eX[B * NIN], eW[NOUT * NIN], eb[NOUT];
  nng_fill_uniform(X, B * NIN, -2, 2, 77);
  nng_fill_uniform(W, NOUT * NIN, -2, 2, 78);
  nng_fill_uniform(dY, B * NOUT, -1, 1, 79);
  nng_fill_uniform(dW0, NOUT * NIN, -1, 1, 80);
  nng_fill_uniform(db0, NOUT, -1, 1, 81);
  reference_dense(X, W, dY, dW0, db0, eX, eW, eb);
  nng_set_all(dX, B * NIN, 99.0);  /* dX is overwritten, not added to */
  for (size_t k = 0; k < NOUT * NIN; k++)
    dW[k] = dW0[k];
  for (size_t j = 0; j < NOUT; j++)
    db[j] = db0[j];
  NNG_REQUIRE_SUCCESS(student_dense(X, W, dY, dX, dW, db), "ex7_dense_backward");
  gsl_vector_view a = gsl_vector_view_array(dW, NOUT * NIN);
  gsl_vector_view e = gsl_vector_view_array(eW, NOUT * NIN);
  NNG_EXPECT_VECTOR_CLOSE("dW: what it held plus dYᵀ X", &a.vector, &e.vector, 1e-13);
  a = gsl_vector_view_array(db, NOUT);
  e = gsl_vector_view_array(eb, NOUT);
  NNG_EXPECT_VECTOR_CLOSE("db: what it held plus the column sums of dY", &a.vector,
                          &e.vector, 1e-13);
  a = gsl_vector_view_array(dX, B * NIN);
  e = gsl_vector_view_array(eX, B * NIN);
  NNG_EXPECT_VECTOR_CLOSE("dX = dY W, written over what dX held (99 everywhere)",
                          &a.vector, &e.vector, 1e-13);
}

static void
dense_backward_without_dX(void **state)
{
  (void) state;
  double X[B * NIN], W[NOUT * NIN], dY[B * NOUT], zeros[NOUT * NIN] = {0};
  double dW[NOUT * NIN], db[NOUT], eX[B * NIN], eW[NOUT * NIN], eb[NOUT];
  nng_fill_uniform(X, B * NIN, -2, 2, 82);
  nng_fill_uniform(W, NOUT * NIN, -2, 2, 83);
  nng_fill_uniform(dY, B * NOUT, -1, 1, 84);
  reference_dense(X, W, dY, zeros, zeros, eX, eW, eb);
  nng_set_all(dW, NOUT * NIN, 0.0);
  nng_set_all(db, NOUT, 0.0);
  NNG_REQUIRE_SUCCESS(student_dense(X, W, dY, NULL, dW, db), "ex7_dense_backward");
  gsl_vector_view a = gsl_vector_view_array(dW, NOUT * NIN);
  gsl_vector_view e = gsl_vector_view_array(eW, NOUT * NIN);
  NNG_EXPECT_VECTOR_CLOSE("dW with dX = NULL (the first layer)", &a.vector, &e.vector,
                          1e-13);
  a = gsl_vector_view_array(db, NOUT);
  e = gsl_vector_view_array(eb, NOUT);
  NNG_EXPECT_VECTOR_CLOSE("db with dX = NULL (the first layer)", &a.vector, &e.vector,
                          1e-13);
}

static void
dense_backward_rejects_shapes_that_do_not_fit(void **state)
{
  (void) state;
  double X[4 * 3], W[2 * 3], dY[4 * 2], big[5 * 4], dX[5 * 4], dW[3 * 4], db[3];
  nng_fill_uniform(X, 12, -1, 1, 85);
  nng_fill_uniform(W, 6, -1, 1, 86);
  nng_fill_uniform(dY, 8, -1, 1, 87);
  nng_fill_uniform(big, 20, -1, 1, 88);
  nng_set_all(dX, 20, 5.5);
  nng_set_all(dW, 12, 6.5);
  nng_set_all(db, 3, 7.5);
  gsl_matrix_view Xv = gsl_matrix_view_array(X, 4, 3), Wv = gsl_matrix_view_array(W, 2, 3);
  gsl_matrix_view dYv = gsl_matrix_view_array(dY, 4, 2);
  gsl_matrix_view W24 = gsl_matrix_view_array(big, 2, 4);    /* N_in 4, not 3 */
  gsl_matrix_view dY32 = gsl_matrix_view_array(big, 3, 2);   /* 3 rows, not 4 */
  gsl_matrix_view dY43 = gsl_matrix_view_array(big, 4, 3);   /* 3 columns, not 2 */
  gsl_matrix_view dX43 = gsl_matrix_view_array(dX, 4, 3), dX53 = gsl_matrix_view_array(dX, 5, 3);
  gsl_matrix_view dW23 = gsl_matrix_view_array(dW, 2, 3), dW32 = gsl_matrix_view_array(dW, 3, 2);
  gsl_vector_view db2 = gsl_vector_view_array(db, 2), db3 = gsl_vector_view_array(db, 3);
  struct {
    const gsl_matrix *W, *dY;
    gsl_matrix *dX, *dW;
    gsl_vector *db;
    const char *situation;
  } cases[] = {
    {&W24.matrix, &dYv.matrix, &dX43.matrix, &dW23.matrix, &db2.vector,
     "X of 4x3 but W of 2x4"},
    {&Wv.matrix, &dY32.matrix, &dX43.matrix, &dW23.matrix, &db2.vector,
     "X of 4 rows but dY of 3"},
    {&Wv.matrix, &dY43.matrix, &dX43.matrix, &dW23.matrix, &db2.vector,
     "W of 2 rows (outputs) but dY of 3 columns"},
    {&Wv.matrix, &dYv.matrix, &dX53.matrix, &dW23.matrix, &db2.vector,
     "dX of 5x3, X of 4x3"},
    {&Wv.matrix, &dYv.matrix, &dX43.matrix, &dW32.matrix, &db2.vector,
     "dW of 3x2, W of 2x3"},
    {&Wv.matrix, &dYv.matrix, &dX43.matrix, &dW23.matrix, &db3.vector,
     "db of 3 entries, 2 outputs"},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++)
    NNG_EXPECT_STATUS(nng_ex7_dense_backward(&Xv.matrix, cases[k].W, cases[k].dY,
                                             cases[k].dX, cases[k].dW, cases[k].db),
                      GSL_EBADLEN, "ex7_dense_backward", cases[k].situation);
  NNG_EXPECT_TRUE(nng_all_equal(dX, 20, 5.5) && nng_all_equal(dW, 12, 6.5)
                  && nng_all_equal(db, 3, 7.5),
                  "ex7_dense_backward wrote into dX, dW or db although the shapes did "
                  "not fit: check every shape before writing anything.");
}

const nng_test nng_ex07_tests[] = {
  {"add_backward_passes_dc_to_both", add_backward_passes_dc_to_both,
   "ex7_add_backward", 1,
   "For c = a + b, ∂c/∂a = ∂c/∂b = 1: both operands get dc."},
  {"add_backward_accumulates", add_backward_accumulates, "ex7_add_backward", 1,
   "Add to what *da and *db hold (+=), do not overwrite them: an operand used twice "
   "gets a share from each use."},
  {"mul_backward_swaps_the_operands", mul_backward_swaps_the_operands,
   "ex7_mul_backward", 1,
   "For c = a · b, ∂c/∂a = b and ∂c/∂b = a: each factor gets the OTHER one times dc."},
  {"mul_backward_of_a_square", mul_backward_of_a_square, "ex7_mul_backward", 1,
   "When da and db point to the same number, *da += b·dc then *db += a·dc adds both "
   "shares; computing both before writing either also works."},
  {"nodes_reject_numbers_that_are_not_finite", nodes_reject_numbers_that_are_not_finite,
   "ex7_mul_backward", 1,
   "Check isfinite() of every number passed in (dc, a, b) before writing: "
   "GSL_EDOM otherwise, in ex7_add_backward and ex7_mul_backward alike."},
  {"tanh_backward_uses_the_saved_output", tanh_backward_uses_the_saved_output,
   "ex7_tanh_backward", 1,
   "The argument is the output c = tanh(a), not a: the local derivative is 1 - c², "
   "so do not take tanh again."},
  {"tanh_backward_passes_a_numerical_check", tanh_backward_passes_a_numerical_check,
   "ex7_tanh_backward", 1,
   "Compare (1 - c²) · dc with (tanh(a+h) - tanh(a-h)) / (2h) for a few a."},
  {"tanh_backward_rejects_a_bad_output",
   tanh_backward_rejects_a_bad_output, "ex7_tanh_backward", 1,
   "!(c >= -1 && c <= 1) is true for NaN too; return GSL_EDOM before writing *da."},
  {"nodes_make_a_neuron_backward", nodes_make_a_neuron_backward, "ex7_tanh_backward", 1,
   "The grader runs the neuron's backward pass with your three functions: tanh, "
   "then the two sums, then the two products. Make the single tests pass first."},
  {"dense_backward_matches_the_library", dense_backward_matches_the_library,
   "ex7_dense_backward", 1,
   "dX[r][i] = Σ_j dY[r][j] W[j][i]; dW[j][i] += Σ_r dY[r][j] X[r][i]; db[j] += "
   "Σ_r dY[r][j]. X->size1 is B, W->size1 is N_out."},
  {"dense_backward_passes_a_gradient_check", dense_backward_passes_a_gradient_check,
   "ex7_dense_backward", 1,
   "Check the shapes of your products: dW is (N_out, N_in) = dYᵀ (N_out, B) times "
   "X (B, N_in); dX is (B, N_in) = dY (B, N_out) times W (N_out, N_in)."},
  {"dense_backward_accumulates_dW_and_db", dense_backward_accumulates_dW_and_db,
   "ex7_dense_backward", 1,
   "dW and db are added to (+=), dX is written over (=)."},
  {"dense_backward_without_dX", dense_backward_without_dX, "ex7_dense_backward", 1,
   "dX may be NULL (the first layer of a network needs no dX): skip it then, but "
   "still compute dW and db."},
  {"dense_backward_rejects_shapes_that_do_not_fit",
   dense_backward_rejects_shapes_that_do_not_fit, "ex7_dense_backward", 1,
   "Six sizes must agree: W->size2 == X->size2, dY is (X->size1, W->size1), dX is "
   "X's shape, dW is W's shape, db has W->size1 entries. Check all before writing."},
  {NULL, NULL, NULL, 0, NULL},
};
