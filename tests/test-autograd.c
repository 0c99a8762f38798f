/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of nn/autograd.h: every gradient against a numerical derivative. */
#include "nntest.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <gsl/gsl_math.h>
#include <nn/autograd.h>
#include <nn/deriv.h>
#include <nn/graph.h>

/* GSL_ERROR_NULL returns no status, so keep the code the handler saw too. */
static int last_code;

static void
record_error(const char *reason, const char *file, int line, int err)
{
  nn_test_error_handler(reason, file, line, err);
  last_code = err;
}

#define assert_null_error(call, code, text)                                  \
  do {                                                                       \
    nn_test_last_error[0] = '\0';                                            \
    last_code = 0;                                                           \
    assert_null(call);                                                       \
    assert_int_equal(last_code, (code));                                     \
    if (strstr(nn_test_last_error, (text)) == NULL) {                        \
      print_error("error message \"%s\" does not mention \"%s\"\n",         \
                  nn_test_last_error, (text));                               \
      fail();                                                                \
    }                                                                        \
  } while (0)

/* |analytic - numerical| / max(|analytic|, |numerical|) < 1e-7, refusing a
 * gradient so small that a backward pass doing nothing would pass. */
static void
assert_gradient(double analytic, double numerical, const char *what)
{
  if (!(fabs(analytic) > 1e-3)) {
    print_error("%s: gradient %.17g is (almost) zero: nothing is checked\n", what,
                analytic);
    fail();
  }
  double rel = fabs(analytic - numerical) / fmax(fabs(analytic), fabs(numerical));
  if (!(rel < 1e-7)) {
    print_error("%s: analytic %.17g vs numerical %.17g: relative error %g\n", what,
                analytic, numerical, rel);
    fail();
  }
}

/* ===== One operation at a time ===== */

/* An operation applied to leaves a and b, rebuilt from scratch each call so
 * that the numerical derivative sees the forward pass only. */
struct op_case {
  nn_autograd_op op;
  double a, b, p;  /* operands; p the exponent of pow */
  int wrt;         /* 0: vary a, 1: vary b */
};

static nn_value *
apply(nn_autograd *t, const struct op_case *c, double a, double b, nn_value **va,
      nn_value **vb)
{
  *va = nn_autograd_value(t, a, "a");
  *vb = nn_autograd_value(t, b, "b");
  switch (c->op) {
  case NN_AUTOGRAD_ADD: return nn_autograd_add(t, *va, *vb, "c");
  case NN_AUTOGRAD_SUB: return nn_autograd_sub(t, *va, *vb, "c");
  case NN_AUTOGRAD_MUL: return nn_autograd_mul(t, *va, *vb, "c");
  case NN_AUTOGRAD_DIV: return nn_autograd_div(t, *va, *vb, "c");
  case NN_AUTOGRAD_POW: return nn_autograd_pow(t, *va, c->p, "c");
  case NN_AUTOGRAD_EXP: return nn_autograd_exp(t, *va, "c");
  case NN_AUTOGRAD_TANH: return nn_autograd_tanh(t, *va, "c");
  case NN_AUTOGRAD_RELU: return nn_autograd_relu(t, *va, "c");
  case NN_AUTOGRAD_SIGMOID: return nn_autograd_sigmoid(t, *va, "c");
  default: return NULL;
  }
}

static double
op_forward(double x, void *params)
{
  const struct op_case *c = params;
  nn_autograd *t = nn_autograd_alloc(4);
  nn_value *va, *vb;
  nn_value *out = apply(t, c, c->wrt == 0 ? x : c->a, c->wrt == 1 ? x : c->b, &va, &vb);
  double y = out != NULL ? out->data : NAN;
  nn_autograd_free(t);
  return y;
}

static void
every_operation_matches_a_numerical_derivative(void **state)
{
  (void) state;
  const struct op_case cases[] = {
    {NN_AUTOGRAD_ADD, 2.385, -0.731, 0, 0}, {NN_AUTOGRAD_ADD, 2.385, -0.731, 0, 1},
    {NN_AUTOGRAD_SUB, 2.385, -0.731, 0, 0}, {NN_AUTOGRAD_SUB, 2.385, -0.731, 0, 1},
    {NN_AUTOGRAD_MUL, 2.385, -0.731, 0, 0}, {NN_AUTOGRAD_MUL, 2.385, -0.731, 0, 1},
    {NN_AUTOGRAD_DIV, 2.385, -0.731, 0, 0}, {NN_AUTOGRAD_DIV, 2.385, -0.731, 0, 1},
    {NN_AUTOGRAD_POW, 2.385, 0, 2.0, 0},    {NN_AUTOGRAD_POW, 2.385, 0, 0.5, 0},
    {NN_AUTOGRAD_POW, 2.385, 0, -1.5, 0},   {NN_AUTOGRAD_POW, -0.731, 0, 3.0, 0},
    {NN_AUTOGRAD_EXP, 0.813, 0, 0, 0},      {NN_AUTOGRAD_EXP, -2.385, 0, 0, 0},
    {NN_AUTOGRAD_TANH, 0.385, 0, 0, 0},     {NN_AUTOGRAD_TANH, -1.2, 0, 0, 0},
    {NN_AUTOGRAD_RELU, 2.385, 0, 0, 0},     {NN_AUTOGRAD_SIGMOID, -1.2, 0, 0, 0},
    {NN_AUTOGRAD_SIGMOID, 2.385, 0, 0, 0},
  };
  for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
    const struct op_case *c = &cases[k];
    nn_autograd *t = nn_autograd_alloc(4);
    nn_value *va, *vb;
    nn_value *out = apply(t, c, c->a, c->b, &va, &vb);
    assert_non_null(out);
    assert_close(out->data, op_forward(c->wrt == 0 ? c->a : c->b, (void *) c), 0.0);
    assert_int_equal(nn_autograd_backward(t, out), GSL_SUCCESS);
    assert_true(out->grad == 1.0);
    gsl_function f = {op_forward, (void *) c};
    double numerical = NAN;
    assert_int_equal(nn_deriv_central(&f, c->wrt == 0 ? c->a : c->b, 1e-6, &numerical),
                     GSL_SUCCESS);
    char what[64];
    snprintf(what, sizeof what, "%s, d/d%c", nn_autograd_op_name(c->op),
             c->wrt == 0 ? 'a' : 'b');
    assert_gradient(c->wrt == 0 ? va->grad : vb->grad, numerical, what);
    nn_autograd_free(t);
  }
}

static void
relu_is_flat_below_zero_and_results_are_right(void **state)
{
  (void) state;
  nn_autograd *t = nn_autograd_alloc(16);
  nn_value *a = nn_autograd_value(t, -0.731, "a");
  nn_value *r = nn_autograd_relu(t, a, "r");
  assert_true(r->data == 0.0);
  assert_int_equal(nn_autograd_backward(t, r), GSL_SUCCESS);
  assert_true(a->grad == 0.0);
  nn_autograd_zero_grad(t);
  nn_value *z = nn_autograd_value(t, 0.0, "z");
  nn_value *rz = nn_autograd_relu(t, z, "rz");
  assert_int_equal(nn_autograd_backward(t, rz), GSL_SUCCESS);
  assert_true(z->grad == 0.0);  /* the convention at 0 */
  /* Forward values of every operation, against the C library. */
  nn_value *x = nn_autograd_value(t, 2.385, "x"), *y = nn_autograd_value(t, -0.731, "y");
  assert_close(nn_autograd_sub(t, x, y, NULL)->data, 2.385 + 0.731, 1e-15);
  assert_close(nn_autograd_div(t, x, y, NULL)->data, 2.385 / -0.731, 1e-15);
  assert_close(nn_autograd_pow(t, x, 1.5, NULL)->data, pow(2.385, 1.5), 1e-15);
  assert_close(nn_autograd_tanh(t, y, NULL)->data, tanh(-0.731), 1e-15);
  assert_close(nn_autograd_sigmoid(t, y, NULL)->data, 1 / (1 + exp(0.731)), 1e-15);
  assert_close(nn_autograd_exp(t, y, NULL)->data, exp(-0.731), 1e-15);
  nn_value *big = nn_autograd_value(t, -800.0, NULL);
  assert_true(nn_autograd_sigmoid(t, big, NULL)->data == 0.0);  /* no overflow */
  assert_string_equal(nn_autograd_op_name(NN_AUTOGRAD_MUL), "×");
  assert_string_equal(nn_autograd_op_name(NN_AUTOGRAD_LEAF), "");
  nn_autograd_free(t);
}

/* ===== Whole graphs ===== */

/* f(a, b) = a·b + a² / (b + e^a) - tanh(a - b): a used four times, b three. */
static nn_value *
expression(nn_autograd *t, double a, double b, nn_value **va, nn_value **vb)
{
  *va = nn_autograd_value(t, a, "a");
  *vb = nn_autograd_value(t, b, "b");
  nn_value *ab = nn_autograd_mul(t, *va, *vb, "ab");
  nn_value *a2 = nn_autograd_pow(t, *va, 2.0, "a2");
  nn_value *den = nn_autograd_add(t, *vb, nn_autograd_exp(t, *va, "ea"), "den");
  nn_value *q = nn_autograd_div(t, a2, den, "q");
  nn_value *th = nn_autograd_tanh(t, nn_autograd_sub(t, *va, *vb, "d"), "th");
  return nn_autograd_sub(t, nn_autograd_add(t, ab, q, "s"), th, "f");
}

static double
expression_at(double a, double b)
{
  nn_autograd *t = nn_autograd_alloc(16);
  nn_value *va, *vb;
  double y = expression(t, a, b, &va, &vb)->data;
  nn_autograd_free(t);
  return y;
}

static double expr_fa(double a, void *p) { return expression_at(a, *(double *) p); }
static double expr_fb(double b, void *p) { return expression_at(*(double *) p, b); }

static void
shared_values_accumulate_their_gradients(void **state)
{
  (void) state;
  double a = 0.813, b = 2.385;
  nn_autograd *t = nn_autograd_alloc(16);
  nn_value *va, *vb;
  nn_value *f = expression(t, a, b, &va, &vb);
  assert_close(f->data, a * b + a * a / (b + exp(a)) - tanh(a - b), 1e-15);
  assert_int_equal(nn_autograd_backward(t, f), GSL_SUCCESS);
  gsl_function fa = {expr_fa, &b}, fb = {expr_fb, &a};
  double da = NAN, db = NAN;
  assert_int_equal(nn_deriv_central(&fa, a, 1e-6, &da), GSL_SUCCESS);
  assert_int_equal(nn_deriv_central(&fb, b, 1e-6, &db), GSL_SUCCESS);
  assert_gradient(va->grad, da, "df/da");
  assert_gradient(vb->grad, db, "df/db");
  /* The smallest case of sharing: d(a·a)/da = 2a. */
  nn_autograd_zero_grad(t);
  nn_value *sq = nn_autograd_mul(t, va, va, "a·a");
  assert_int_equal(nn_autograd_backward(t, sq), GSL_SUCCESS);
  assert_close(va->grad, 2 * a, 1e-15);
  assert_true(vb->grad == 0.0);  /* a·a does not depend on b */
  nn_autograd_free(t);
}

/* o = tanh(x1 w1 + x2 w2 + b), Karpathy's neuron. */
static void
a_neuron(void **state)
{
  (void) state;
  nn_autograd *t = nn_autograd_alloc(16);
  nn_value *x1 = nn_autograd_value(t, 2.385, "x1"), *x2 = nn_autograd_value(t, -0.731, "x2");
  nn_value *w1 = nn_autograd_value(t, -0.62, "w1"), *w2 = nn_autograd_value(t, 1.13, "w2");
  nn_value *b = nn_autograd_value(t, 0.45, "b");
  nn_value *n = nn_autograd_add(t, nn_autograd_add(t, nn_autograd_mul(t, x1, w1, "x1w1"),
                                                   nn_autograd_mul(t, x2, w2, "x2w2"),
                                                   "x1w1+x2w2"), b, "n");
  nn_value *o = nn_autograd_tanh(t, n, "o");
  assert_int_equal(nn_autograd_count(t), 10);
  const double z = 2.385 * -0.62 + -0.731 * 1.13 + 0.45, out = tanh(z);
  assert_close(o->data, out, 1e-15);
  assert_int_equal(nn_autograd_backward(t, o), GSL_SUCCESS);
  const double dn = 1 - out * out;  /* tanh' */
  assert_close(n->grad, dn, 1e-15);
  assert_close(b->grad, dn, 1e-15);
  assert_close(w1->grad, dn * 2.385, 1e-15);
  assert_close(w2->grad, dn * -0.731, 1e-15);
  assert_close(x1->grad, dn * -0.62, 1e-15);
  assert_close(x2->grad, dn * 1.13, 1e-15);
  assert_true(fabs(w1->grad) > 0.1);
  nn_autograd_free(t);
}

/* A tiny MLP: 2 inputs, 3 tanh units, 1 linear output, squared error.
 * params: W1 (3x2), b1 (3), W2 (3), b2 (1): 13 numbers. */
#define MLP_PARAMS 13
static const double mlp_x[2] = {2.385, -0.731}, mlp_target = 0.5;

static nn_value *
mlp_loss(nn_autograd *t, const double *theta, nn_value **p)
{
  for (size_t k = 0; k < MLP_PARAMS; k++) {
    char name[8];
    snprintf(name, sizeof name, "p%zu", k);
    p[k] = nn_autograd_value(t, theta[k], name);
  }
  nn_value *x[2] = {nn_autograd_value(t, mlp_x[0], "x1"),
                    nn_autograd_value(t, mlp_x[1], "x2")};
  nn_value *out = p[12];  /* b2 */
  for (size_t i = 0; i < 3; i++) {
    nn_value *s = p[6 + i];  /* b1_i */
    for (size_t j = 0; j < 2; j++)
      s = nn_autograd_add(t, s, nn_autograd_mul(t, p[2 * i + j], x[j], NULL), NULL);
    nn_value *h = nn_autograd_tanh(t, s, NULL);
    out = nn_autograd_add(t, out, nn_autograd_mul(t, p[9 + i], h, NULL), NULL);
  }
  nn_value *err = nn_autograd_sub(t, out, nn_autograd_value(t, mlp_target, "y"), "err");
  return nn_autograd_pow(t, err, 2.0, "loss");
}

struct mlp_probe {
  double theta[MLP_PARAMS];
  size_t k;
};

static double
mlp_at(double v, void *params)
{
  struct mlp_probe *pr = params;
  double theta[MLP_PARAMS];
  memcpy(theta, pr->theta, sizeof theta);
  theta[pr->k] = v;
  nn_autograd *t = nn_autograd_alloc(64);
  nn_value *p[MLP_PARAMS];
  double y = mlp_loss(t, theta, p)->data;
  nn_autograd_free(t);
  return y;
}

static void
a_tiny_mlp(void **state)
{
  (void) state;
  struct mlp_probe pr = {{0.31, -0.52, 0.83, 0.14, -0.45, 0.66,  /* W1 */
                          0.12, -0.23, 0.34,                      /* b1 */
                          0.91, -0.78, 0.57,                      /* W2 */
                          -0.21}, 0};                             /* b2 */
  nn_autograd *t = nn_autograd_alloc(64);
  nn_value *p[MLP_PARAMS];
  nn_value *loss = mlp_loss(t, pr.theta, p);
  assert_non_null(loss);
  assert_int_equal(nn_autograd_backward(t, loss), GSL_SUCCESS);
  for (pr.k = 0; pr.k < MLP_PARAMS; pr.k++) {
    gsl_function f = {mlp_at, &pr};
    double d = NAN;
    assert_int_equal(nn_deriv_central(&f, pr.theta[pr.k], 1e-6, &d), GSL_SUCCESS);
    char what[32];
    snprintf(what, sizeof what, "dloss/dp%zu", pr.k);
    assert_gradient(p[pr.k]->grad, d, what);
  }
  nn_autograd_free(t);
}

/* ===== Backward twice, zero_grad, rewind ===== */

static void
backward_twice_is_refused_until_zero_grad(void **state)
{
  (void) state;
  nn_autograd *t = nn_autograd_alloc(8);
  nn_value *a = nn_autograd_value(t, 2.385, "a"), *b = nn_autograd_value(t, -0.731, "b");
  nn_value *c = nn_autograd_mul(t, a, b, "c");
  nn_value *d = nn_autograd_tanh(t, c, "d");
  assert_int_equal(nn_autograd_backward(t, d), GSL_SUCCESS);
  const double ga = a->grad, gb = b->grad;
  assert_true(fabs(ga) > 1e-3 && fabs(gb) > 1e-3);
  /* A second pass would double every gradient: it is refused, nothing moves. */
  assert_gsl_error(nn_autograd_backward(t, d), GSL_EINVAL, "nn_autograd_zero_grad");
  assert_true(a->grad == ga && b->grad == gb && d->grad == 1.0);
  /* zero_grad clears every gradient in the tape ... */
  assert_int_equal(nn_autograd_zero_grad(t), GSL_SUCCESS);
  for (size_t i = 0; i < nn_autograd_count(t); i++)
    assert_true(nn_autograd_get(t, i)->grad == 0.0);
  /* ... and the next pass gives the same gradients, not twice them. */
  assert_int_equal(nn_autograd_backward(t, d), GSL_SUCCESS);
  assert_true(a->grad == ga && b->grad == gb);
  /* A pass from an inner value touches only what that value depends on. */
  nn_autograd_zero_grad(t);
  assert_int_equal(nn_autograd_backward(t, c), GSL_SUCCESS);
  assert_true(a->grad == -0.731 && b->grad == 2.385 && d->grad == 0.0);
  nn_autograd_free(t);
}

/* Gradient descent on one neuron's squared error, the training loop of the
 * lecture: forward, backward, step, zero_grad, rewind. */
static void
a_training_loop_lowers_the_loss(void **state)
{
  (void) state;
  nn_autograd *t = nn_autograd_alloc(16);
  nn_value *w = nn_autograd_value(t, -0.62, "w"), *b = nn_autograd_value(t, 0.45, "b");
  const size_t mark = nn_autograd_count(t);
  double first = NAN, last = NAN;
  for (int step = 0; step < 100; step++) {
    nn_value *x = nn_autograd_value(t, 2.385, "x");
    nn_value *o = nn_autograd_tanh(t, nn_autograd_add(t, nn_autograd_mul(t, w, x, NULL),
                                                      b, NULL), "o");
    nn_value *loss = nn_autograd_pow(t, nn_autograd_sub(t, o, nn_autograd_value(t, 0.8, "y"),
                                                        NULL), 2.0, "loss");
    assert_non_null(loss);
    if (step == 0)
      first = loss->data;
    last = loss->data;
    assert_int_equal(nn_autograd_backward(t, loss), GSL_SUCCESS);
    w->data -= 0.1 * w->grad;
    b->data -= 0.1 * b->grad;
    assert_int_equal(nn_autograd_zero_grad(t), GSL_SUCCESS);
    assert_int_equal(nn_autograd_rewind(t, mark), GSL_SUCCESS);
  }
  assert_true(first > 1.0);
  assert_true(last < 1e-4);
  assert_int_equal(nn_autograd_count(t), 2);
  assert_int_equal(nn_autograd_capacity(t), 16);
  nn_autograd_free(t);
}

/* ===== Errors ===== */

static void
a_full_tape_and_bad_operands_are_named(void **state)
{
  (void) state;
  nn_autograd *t = nn_autograd_alloc(3), *other = nn_autograd_alloc(2);
  nn_value *a = nn_autograd_value(t, 2.385, "a"), *b = nn_autograd_value(t, -0.731, "b");
  nn_value *c = nn_autograd_add(t, a, b, "c");
  assert_non_null(c);
  assert_null_error(nn_autograd_mul(t, a, b, "d"), GSL_ENOMEM,
                    "the tape is full: all 3 values are in use");
  assert_null_error(nn_autograd_value(t, 1.0, "e"), GSL_ENOMEM, "full");
  /* After a failure, the next operation refuses the NULL it was given. */
  assert_null_error(nn_autograd_tanh(t, NULL, "f"), GSL_EINVAL, "operand 1 is NULL");
  assert_null_error(nn_autograd_add(t, a, NULL, "f"), GSL_EINVAL, "operand 2 is NULL");
  nn_value *z = nn_autograd_value(other, 0.0, "z");
  nn_value *one = nn_autograd_value(other, 1.0, "one");
  assert_null_error(nn_autograd_add(other, one, a, NULL), GSL_EINVAL,
                    "operand 2 is not a value of this tape");
  assert_gsl_error(nn_autograd_backward(other, a), GSL_EINVAL, "not a value of this tape");
  /* Rewinding makes room, and dropped values are refused. */
  assert_int_equal(nn_autograd_rewind(t, 2), GSL_SUCCESS);
  assert_null_error(nn_autograd_exp(t, c, NULL), GSL_EINVAL, "dropped");
  assert_non_null(nn_autograd_mul(t, a, b, "d"));
  assert_gsl_error(nn_autograd_rewind(t, 4), GSL_EBADLEN,
                   "cannot rewind to 4 values: the tape holds 3");
  assert_null_error(nn_autograd_get(t, 3), GSL_EINVAL, "index 3 asked of a tape of 3");
  nn_autograd_rewind(other, 0);

  nn_autograd *u = nn_autograd_alloc(16);
  a = nn_autograd_value(u, 2.385, "a");
  z = nn_autograd_value(u, 0.0, "z");
  nn_value *neg = nn_autograd_value(u, -0.731, "neg");
  assert_null_error(nn_autograd_div(u, a, z, NULL), GSL_EDOM, "2.385 ÷ 0");
  assert_null_error(nn_autograd_pow(u, neg, 0.5, NULL), GSL_EDOM, "-0.731^0.5");
  assert_null_error(nn_autograd_pow(u, z, 0.5, NULL), GSL_EDOM, "no finite derivative");
  assert_null_error(nn_autograd_pow(u, a, NAN, NULL), GSL_EDOM, "exponent");
  assert_null_error(nn_autograd_exp(u, nn_autograd_value(u, 800.0, NULL), NULL), GSL_EDOM,
                    "exp(800)");
  assert_null_error(nn_autograd_value(u, INFINITY, NULL), GSL_EDOM, "finite number");
  assert_null_error(nn_autograd_value(u, 1.0, "a label much longer than thirty-one bytes"),
                    GSL_EINVAL, "at most 31 fit");
  assert_null_error(nn_autograd_alloc(0), GSL_EBADLEN, "at least 1 value, not 0");
  assert_null_error(nn_autograd_value(NULL, 1.0, NULL), GSL_EINVAL, "NULL");
  assert_gsl_error(nn_autograd_backward(u, NULL), GSL_EINVAL, "NULL");
  assert_gsl_error(nn_autograd_zero_grad(NULL), GSL_EINVAL, "NULL");
  assert_int_equal(nn_autograd_count(NULL), 0);
  nn_autograd_free(NULL);
  nn_autograd_free(u);
  nn_autograd_free(other);
  nn_autograd_free(t);
}

/* ===== Drawing ===== */

/* The build tree's tests/out/NAME, made if missing. */
static void
out_dir(char *dir, size_t size, const char *name)
{
  const char *top = getenv("NN_TOP_BUILDDIR");
  char base[1024];
  snprintf(base, sizeof base, "%s/tests/out", top != NULL && top[0] != '\0' ? top : ".");
  char tests[1024];
  snprintf(tests, sizeof tests, "%.1000s", base);
  *strrchr(tests, '/') = '\0';
  mkdir(tests, 0777);
  mkdir(base, 0777);
  snprintf(dir, size, "%s/%s", base, name);
  assert_true(mkdir(dir, 0777) == 0 || errno == EEXIST);
}

static char *
slurp(const char *path)
{
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  static char text[65536];
  size_t n = fread(text, 1, sizeof text - 1, f);
  text[n] = '\0';
  fclose(f);
  return text;
}

static size_t
occurrences(const char *text, const char *what)
{
  size_t n = 0;
  for (const char *p = strstr(text, what); p != NULL; p = strstr(p + 1, what))
    n++;
  return n;
}

static void
the_graph_draws_and_parses(void **state)
{
  (void) state;
  nn_autograd *t = nn_autograd_alloc(16);
  nn_value *x1 = nn_autograd_value(t, 2.0, "x1"), *w1 = nn_autograd_value(t, -3.0, "w1");
  nn_value *x2 = nn_autograd_value(t, 0.0, "x2"), *w2 = nn_autograd_value(t, 1.0, "w2");
  nn_value *b = nn_autograd_value(t, 6.8813735870195432, "b");
  nn_value *unused = nn_autograd_value(t, 2.385, "unused");
  nn_value *x1w1 = nn_autograd_mul(t, x1, w1, "x1*w1");  /* v6 */
  nn_value *x2w2 = nn_autograd_mul(t, x2, w2, "x2*w2");  /* v7 */
  nn_value *n = nn_autograd_add(t, nn_autograd_add(t, x1w1, x2w2, "x1w1 + x2w2"), b, "n");
  nn_value *o = nn_autograd_tanh(t, n, "o");
  nn_value *o2 = nn_autograd_pow(t, o, 2.0, "o{2}");
  assert_non_null(o2);
  assert_non_null(unused);
  assert_int_equal(nn_autograd_backward(t, o2), GSL_SUCCESS);
  nn_graph *g = nn_graph_alloc("neuron");
  assert_non_null(g);
  assert_int_equal(nn_autograd_draw(t, o2, g), GSL_SUCCESS);
  char dir[1100], path[1200];
  out_dir(dir, sizeof dir, "test-autograd");
  assert_int_equal(nn_graph_write(g, dir), GSL_SUCCESS);
  snprintf(path, sizeof path, "%s/neuron.dot", dir);
  const char *dot = slurp(path);
  /* 11 values drawn (not "unused"), 6 operations, each with its edges. */
  assert_int_equal(occurrences(dot, "shape=\"record\""), 11);
  assert_int_equal(occurrences(dot, "shape=\"circle\""), 6);
  assert_int_equal(occurrences(dot, "unused"), 0);
  assert_non_null(strstr(dot, "rankdir=LR"));
  assert_non_null(strstr(dot, "rank=same"));
  assert_non_null(strstr(dot, "{ w1 | data -3 | grad "));
  assert_non_null(strstr(dot, "{ o_2_ | data "));  /* record characters replaced */
  assert_non_null(strstr(dot, "label=\"×\""));
  assert_non_null(strstr(dot, "label=\"tanh\""));
  assert_non_null(strstr(dot, "label=\"^2\""));
  assert_non_null(strstr(dot, "\"v0\" -> \"op6\";"));  /* x1 into its product */
  assert_non_null(strstr(dot, "\"v1\" -> \"op6\";"));
  assert_non_null(strstr(dot, "\"op6\" -> \"v6\";"));
  assert_non_null(strstr(dot, "\"v10\" -> \"op11\";"));  /* o into o² */
  /* dot itself is the judge of whether the file parses. */
  if (nn_graph_dot_available())
    assert_int_equal(nn_graph_render(g, dir, "svg"), GSL_SUCCESS);
  else
    print_message("dot is not installed: the .dot file was checked, not rendered\n");
  nn_graph_free(g);

  /* The whole tape, when out is NULL; and bad arguments. */
  g = nn_graph_alloc("tape");
  assert_int_equal(nn_autograd_draw(t, NULL, g), GSL_SUCCESS);
  assert_int_equal(nn_graph_write(g, dir), GSL_SUCCESS);
  snprintf(path, sizeof path, "%s/tape.dot", dir);
  assert_int_equal(occurrences(slurp(path), "shape=\"record\""), 12);
  assert_gsl_error(nn_autograd_draw(t, NULL, NULL), GSL_EINVAL, "NULL");
  nn_graph_free(g);
  nn_autograd_free(t);
}

/* a^p at the edges of its domain. Where a^p and its derivative p a^(p-1) are
 * numbers, both must come out exact, including a^0 = 1 with derivative 0 at
 * a = 0 (the formula's 0 · 0^-1 is not the derivative of a constant); where
 * one of them is not (0^0.5 has an infinite slope, a negative number has no
 * fractional power, 0^-1 is infinite), the operation fails with GSL_EDOM. */
static void
pow_at_the_edges_of_its_domain(void **state)
{
  (void) state;
  const struct { double a, p, value, grad; } defined[] = {
    {0.0, 0.0, 1.0, 0.0},
    {-2.385, 0.0, 1.0, 0.0},
    {2.385, 0.0, 1.0, 0.0},
    {0.0, 1.0, 0.0, 1.0},
    {-2.385, 1.0, -2.385, 1.0},
    {0.0, 2.0, 0.0, 0.0},
    {0.0, 3.0, 0.0, 0.0},
    {0.0, 1.5, 0.0, 0.0},
    {-2.385, 2.0, 2.385 * 2.385, -2.0 * 2.385},
    {-2.385, 3.0, -2.385 * 2.385 * 2.385, 3.0 * 2.385 * 2.385},
    {-2.385, -1.0, -1.0 / 2.385, -1.0 / (2.385 * 2.385)},
  };
  nn_autograd *t = nn_autograd_alloc(4);
  for (size_t k = 0; k < sizeof defined / sizeof defined[0]; k++) {
    nn_autograd_zero_grad(t);
    nn_autograd_rewind(t, 0);
    nn_value *a = nn_autograd_value(t, defined[k].a, "a");
    nn_value *c = nn_autograd_pow(t, a, defined[k].p, "c");
    if (c == NULL) {
      print_error("%g^%g failed: %s\n", defined[k].a, defined[k].p, nn_test_last_error);
      fail();
    }
    assert_int_equal(nn_autograd_backward(t, c), GSL_SUCCESS);
    if (!(fabs(c->data - defined[k].value) <= 1e-14 * fmax(1.0, fabs(defined[k].value))
          && fabs(a->grad - defined[k].grad) <= 1e-14 * fmax(1.0, fabs(defined[k].grad)))) {
      print_error("%g^%g = %.17g with derivative %.17g; expected %.17g and %.17g\n",
                  defined[k].a, defined[k].p, c->data, a->grad, defined[k].value,
                  defined[k].grad);
      fail();
    }
  }
  const struct { double a, p; const char *says; } undefined[] = {
    {0.0, 0.5, "0^0.5 = 0 has no finite derivative"},
    {0.0, -0.5, "0^-0.5"},
    {0.0, -1.0, "0^-1"},
    {-0.731, 0.5, "-0.731^0.5"},
    {-0.731, 2.5, "-0.731^2.5"},
    {-0.731, -1.5, "-0.731^-1.5"},
  };
  for (size_t k = 0; k < sizeof undefined / sizeof undefined[0]; k++) {
    nn_autograd_rewind(t, 0);
    nn_value *a = nn_autograd_value(t, undefined[k].a, "a");
    assert_null_error(nn_autograd_pow(t, a, undefined[k].p, "c"), GSL_EDOM,
                      undefined[k].says);
    assert_int_equal(nn_autograd_count(t), 1);  /* nothing was appended */
  }
  nn_autograd_free(t);
}

int
main(void)
{
  nn_test_init();
  gsl_set_error_handler(record_error);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(every_operation_matches_a_numerical_derivative),
    cmocka_unit_test(relu_is_flat_below_zero_and_results_are_right),
    cmocka_unit_test(shared_values_accumulate_their_gradients),
    cmocka_unit_test(a_neuron),
    cmocka_unit_test(a_tiny_mlp),
    cmocka_unit_test(backward_twice_is_refused_until_zero_grad),
    cmocka_unit_test(a_training_loop_lowers_the_loss),
    cmocka_unit_test(a_full_tape_and_bad_operands_are_named),
    cmocka_unit_test(pow_at_the_edges_of_its_domain),
    cmocka_unit_test(the_graph_draws_and_parses),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
