/* SPDX-License-Identifier: GPL-3.0-or-later */
/* autograd.c: a scalar computation graph with backpropagation (see nn/autograd.h).
 *
 * The tape is one array of values, filled front to back. An operation
 * checks its operands, computes its result and appends it; it never reaches
 * forward in the tape, so every value's operands sit at smaller indices.
 * That makes the backward pass a plain loop: from the output down to index
 * 0, each value that the output depends on hands its grad to its operands,
 * and by the time the loop reaches a value, every value that uses it has
 * already handed it its share (they all sit at larger indices).
 */
#include <config.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>

#include <nn/autograd.h>

struct nn_autograd {
  nn_value *values;        /* capacity slots; the first count are in use */
  unsigned char *reached;  /* capacity flags: the backward pass's "out depends on it" */
  size_t count;            /* values in use */
  size_t capacity;         /* slots allocated at nn_autograd_alloc */
  int has_grads;           /* 1 after a backward pass, 0 after nn_autograd_zero_grad */
};

nn_autograd *
nn_autograd_alloc(size_t capacity)
{
  if (capacity == 0)
    GSL_ERROR_NULL("nn_autograd_alloc: a tape needs room for at least 1 value,"
                   " not 0", GSL_EBADLEN);
  nn_autograd *t = calloc(1, sizeof *t);
  if (t == NULL)
    GSL_ERROR_NULL("nn_autograd_alloc: out of memory", GSL_ENOMEM);
  t->values = calloc(capacity, sizeof *t->values);
  t->reached = calloc(capacity, sizeof *t->reached);
  if (t->values == NULL || t->reached == NULL) {
    nn_autograd_free(t);
    char msg[128];
    snprintf(msg, sizeof msg, "nn_autograd_alloc: out of memory for %zu values",
             capacity);
    GSL_ERROR_NULL(msg, GSL_ENOMEM);
  }
  t->capacity = capacity;
  return t;
}

void
nn_autograd_free(nn_autograd *t)
{
  if (t == NULL)
    return;
  free(t->values);
  free(t->reached);
  free(t);
}

size_t
nn_autograd_count(const nn_autograd *t)
{
  return t != NULL ? t->count : 0;
}

size_t
nn_autograd_capacity(const nn_autograd *t)
{
  return t != NULL ? t->capacity : 0;
}

nn_value *
nn_autograd_get(nn_autograd *t, size_t index)
{
  if (t == NULL)
    GSL_ERROR_NULL("nn_autograd_get: the tape must not be NULL", GSL_EINVAL);
  if (index >= t->count) {
    char msg[128];
    snprintf(msg, sizeof msg, "nn_autograd_get: index %zu asked of a tape of %zu"
             " values", index, t->count);
    GSL_ERROR_NULL(msg, GSL_EINVAL);
  }
  return &t->values[index];
}

int
nn_autograd_rewind(nn_autograd *t, size_t count)
{
  if (t == NULL)
    GSL_ERROR("nn_autograd_rewind: the tape must not be NULL", GSL_EINVAL);
  if (count > t->count) {
    char msg[128];
    snprintf(msg, sizeof msg, "nn_autograd_rewind: cannot rewind to %zu values: the"
             " tape holds %zu", count, t->count);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  t->count = count;
  return GSL_SUCCESS;
}

/* ===== Building the graph =====
 *
 * Every operation goes through append(): it checks the operands and the
 * label, computes the result and its local derivatives (so that a value
 * the backward pass cannot use is refused now, with its operands in the
 * message, not discovered later as an infinite gradient), and takes the
 * next slot of the tape.
 */

/* 1 when v is a value in use in t. Compared as addresses, since v may be
 * any pointer a caller holds. */
static int
owns(const nn_autograd *t, const nn_value *v)
{
  uintptr_t p = (uintptr_t) v, lo = (uintptr_t) t->values;
  if (p < lo || p >= lo + t->count * sizeof *t->values)
    return 0;
  return (p - lo) % sizeof *t->values == 0;
}

const char *
nn_autograd_op_name(nn_autograd_op op)
{
  switch (op) {
  case NN_AUTOGRAD_LEAF: return "";
  case NN_AUTOGRAD_ADD: return "+";
  case NN_AUTOGRAD_SUB: return "−";
  case NN_AUTOGRAD_MUL: return "×";
  case NN_AUTOGRAD_DIV: return "÷";
  case NN_AUTOGRAD_POW: return "pow";
  case NN_AUTOGRAD_EXP: return "exp";
  case NN_AUTOGRAD_TANH: return "tanh";
  case NN_AUTOGRAD_RELU: return "ReLU";
  case NN_AUTOGRAD_SIGMOID: return "σ";
  }
  return "?";
}

/* The name of the public function for an operation, for messages. */
static const char *
who_of(nn_autograd_op op)
{
  switch (op) {
  case NN_AUTOGRAD_LEAF: return "nn_autograd_value";
  case NN_AUTOGRAD_ADD: return "nn_autograd_add";
  case NN_AUTOGRAD_SUB: return "nn_autograd_sub";
  case NN_AUTOGRAD_MUL: return "nn_autograd_mul";
  case NN_AUTOGRAD_DIV: return "nn_autograd_div";
  case NN_AUTOGRAD_POW: return "nn_autograd_pow";
  case NN_AUTOGRAD_EXP: return "nn_autograd_exp";
  case NN_AUTOGRAD_TANH: return "nn_autograd_tanh";
  case NN_AUTOGRAD_RELU: return "nn_autograd_relu";
  case NN_AUTOGRAD_SIGMOID: return "nn_autograd_sigmoid";
  }
  return "nn_autograd";
}

/* The forward pass of one operation: *c = op(a, b), and the local
 * derivatives ∂c/∂a, ∂c/∂b the backward pass will multiply by. */
static void
forward(nn_autograd_op op, double a, double b, double p, double *c,
        double *dcda, double *dcdb)
{
  *dcdb = 0.0;
  switch (op) {
  case NN_AUTOGRAD_LEAF:
    *c = a;
    *dcda = 0.0;
    break;
  case NN_AUTOGRAD_ADD:
    *c = a + b;
    *dcda = 1.0;
    *dcdb = 1.0;
    break;
  case NN_AUTOGRAD_SUB:
    *c = a - b;
    *dcda = 1.0;
    *dcdb = -1.0;
    break;
  case NN_AUTOGRAD_MUL:
    *c = a * b;
    *dcda = b;
    *dcdb = a;
    break;
  case NN_AUTOGRAD_DIV:
    *c = a / b;
    *dcda = 1.0 / b;
    *dcdb = -a / (b * b);
    break;
  case NN_AUTOGRAD_POW:
    *c = pow(a, p);
    /* a^0 = 1 is a constant, with derivative 0 everywhere: the formula
     * would give 0 · 0^-1 = 0 · ∞ at a = 0. */
    *dcda = p == 0.0 ? 0.0 : p * pow(a, p - 1.0);
    break;
  case NN_AUTOGRAD_EXP:
    *c = exp(a);
    *dcda = *c;
    break;
  case NN_AUTOGRAD_TANH:
    *c = tanh(a);
    *dcda = 1.0 - *c * *c;
    break;
  case NN_AUTOGRAD_RELU:
    *c = a > 0.0 ? a : 0.0;
    *dcda = a > 0.0 ? 1.0 : 0.0;
    break;
  case NN_AUTOGRAD_SIGMOID:
    /* 1/(1 + e^-a) for a >= 0 and e^a/(1 + e^a) below: neither overflows. */
    *c = a >= 0.0 ? 1.0 / (1.0 + exp(-a)) : exp(a) / (1.0 + exp(a));
    *dcda = *c * (1.0 - *c);
    break;
  }
}

static nn_value *
append(nn_autograd *t, nn_autograd_op op, const nn_value *a, const nn_value *b,
       double p, const char *label)
{
  const char *who = who_of(op);
  const size_t nin = op == NN_AUTOGRAD_LEAF ? 0
                     : (op == NN_AUTOGRAD_ADD || op == NN_AUTOGRAD_SUB
                        || op == NN_AUTOGRAD_MUL || op == NN_AUTOGRAD_DIV) ? 2 : 1;
  const nn_value *operand[2] = {a, b};
  char msg[256];

  if (t == NULL) {
    snprintf(msg, sizeof msg, "%s: the tape must not be NULL", who);
    GSL_ERROR_NULL(msg, GSL_EINVAL);
  }
  for (size_t k = 0; k < nin; k++) {
    if (operand[k] == NULL) {
      snprintf(msg, sizeof msg, "%s: operand %zu is NULL (did an earlier operation"
               " fail?)", who, k + 1);
      GSL_ERROR_NULL(msg, GSL_EINVAL);
    }
    if (!owns(t, operand[k])) {
      snprintf(msg, sizeof msg, "%s: operand %zu is not a value of this tape (or"
               " was dropped by nn_autograd_rewind)", who, k + 1);
      GSL_ERROR_NULL(msg, GSL_EINVAL);
    }
  }
  if (label != NULL && strlen(label) > NN_AUTOGRAD_LABEL_MAX) {
    snprintf(msg, sizeof msg, "%s: the label \"%.40s...\" has %zu bytes; at most %d"
             " fit", who, label, strlen(label), NN_AUTOGRAD_LABEL_MAX);
    GSL_ERROR_NULL(msg, GSL_EINVAL);
  }
  if (t->count == t->capacity) {
    snprintf(msg, sizeof msg, "%s: the tape is full: all %zu values are in use"
             " (allocate a larger tape or rewind it)", who, t->capacity);
    GSL_ERROR_NULL(msg, GSL_ENOMEM);
  }

  const double x = nin > 0 ? a->data : p;  /* a leaf's data travels in p */
  const double y = nin > 1 ? b->data : 0.0;
  double c, dcda, dcdb;
  forward(op, x, y, p, &c, &dcda, &dcdb);
  if (!isfinite(c) || !isfinite(dcda) || !isfinite(dcdb)) {
    if (op == NN_AUTOGRAD_LEAF)
      snprintf(msg, sizeof msg, "%s: the data must be a finite number, not %g", who, c);
    else if (op == NN_AUTOGRAD_POW)
      snprintf(msg, sizeof msg, "%s: %g^%g = %g has no finite derivative (%g)", who,
               x, p, c, dcda);
    else if (nin == 2)
      snprintf(msg, sizeof msg, "%s: %g %s %g = %g is not finite or has no finite"
               " derivative", who, x, nn_autograd_op_name(op), y, c);
    else
      snprintf(msg, sizeof msg, "%s: %s(%g) = %g is not finite", who,
               nn_autograd_op_name(op), x, c);
    GSL_ERROR_NULL(msg, GSL_EDOM);
  }

  nn_value *v = &t->values[t->count];
  memset(v, 0, sizeof *v);
  v->data = c;
  v->grad = 0.0;
  v->op = op;
  v->nin = nin;
  for (size_t k = 0; k < nin; k++)
    v->in[k] = operand[k]->index;
  v->exponent = op == NN_AUTOGRAD_POW ? p : 0.0;
  v->index = t->count;
  if (label != NULL)
    memcpy(v->label, label, strlen(label) + 1);
  t->count++;
  return v;
}

nn_value *
nn_autograd_value(nn_autograd *t, double data, const char *label)
{
  return append(t, NN_AUTOGRAD_LEAF, NULL, NULL, data, label);
}

nn_value *
nn_autograd_add(nn_autograd *t, const nn_value *a, const nn_value *b,
                const char *label)
{
  return append(t, NN_AUTOGRAD_ADD, a, b, 0.0, label);
}

nn_value *
nn_autograd_sub(nn_autograd *t, const nn_value *a, const nn_value *b,
                const char *label)
{
  return append(t, NN_AUTOGRAD_SUB, a, b, 0.0, label);
}

nn_value *
nn_autograd_mul(nn_autograd *t, const nn_value *a, const nn_value *b,
                const char *label)
{
  return append(t, NN_AUTOGRAD_MUL, a, b, 0.0, label);
}

nn_value *
nn_autograd_div(nn_autograd *t, const nn_value *a, const nn_value *b,
                const char *label)
{
  return append(t, NN_AUTOGRAD_DIV, a, b, 0.0, label);
}

nn_value *
nn_autograd_pow(nn_autograd *t, const nn_value *a, double p, const char *label)
{
  if (!isfinite(p)) {
    char msg[128];
    snprintf(msg, sizeof msg, "nn_autograd_pow: the exponent must be a finite"
             " number, not %g", p);
    GSL_ERROR_NULL(msg, GSL_EDOM);
  }
  return append(t, NN_AUTOGRAD_POW, a, NULL, p, label);
}

nn_value *
nn_autograd_exp(nn_autograd *t, const nn_value *a, const char *label)
{
  return append(t, NN_AUTOGRAD_EXP, a, NULL, 0.0, label);
}

nn_value *
nn_autograd_tanh(nn_autograd *t, const nn_value *a, const char *label)
{
  return append(t, NN_AUTOGRAD_TANH, a, NULL, 0.0, label);
}

nn_value *
nn_autograd_relu(nn_autograd *t, const nn_value *a, const char *label)
{
  return append(t, NN_AUTOGRAD_RELU, a, NULL, 0.0, label);
}

nn_value *
nn_autograd_sigmoid(nn_autograd *t, const nn_value *a, const char *label)
{
  return append(t, NN_AUTOGRAD_SIGMOID, a, NULL, 0.0, label);
}

/* ===== The backward pass =====
 *
 * The chain rule, one value at a time: if out depends on a through c, then
 * ∂out/∂a = ∂out/∂c · ∂c/∂a. c's grad holds ∂out/∂c once every value that
 * uses c has passed its share back; walking down the tape guarantees that.
 * The local derivative ∂c/∂a is recomputed from the stored numbers (the
 * same formulas forward() used), so nothing is cached per value.
 */

int
nn_autograd_backward(nn_autograd *t, const nn_value *out)
{
  if (t == NULL || out == NULL)
    GSL_ERROR("nn_autograd_backward: the tape and out must not be NULL", GSL_EINVAL);
  if (!owns(t, out))
    GSL_ERROR("nn_autograd_backward: out is not a value of this tape (or was dropped"
              " by nn_autograd_rewind)", GSL_EINVAL);
  if (t->has_grads)
    GSL_ERROR("nn_autograd_backward: the tape still holds the gradients of an"
              " earlier backward pass, and a second pass would add to them: call"
              " nn_autograd_zero_grad first", GSL_EINVAL);

  const size_t k = out->index;
  memset(t->reached, 0, (k + 1) * sizeof *t->reached);
  t->reached[k] = 1;
  t->values[k].grad = 1.0;  /* ∂out/∂out */
  for (size_t i = k + 1; i-- > 0;) {
    if (!t->reached[i])
      continue;  /* out does not depend on this value */
    const nn_value *c = &t->values[i];
    if (c->nin == 0)
      continue;
    nn_value *a = &t->values[c->in[0]];
    nn_value *b = c->nin > 1 ? &t->values[c->in[1]] : NULL;
    double unused, dcda, dcdb;
    forward(c->op, a->data, b != NULL ? b->data : 0.0, c->exponent, &unused,
            &dcda, &dcdb);
    a->grad += dcda * c->grad;  /* += : a may be used by other values too */
    t->reached[a->index] = 1;
    if (b != NULL) {
      b->grad += dcdb * c->grad;  /* b may even be a itself: a·a gets 2a */
      t->reached[b->index] = 1;
    }
  }
  t->has_grads = 1;
  return GSL_SUCCESS;
}

int
nn_autograd_zero_grad(nn_autograd *t)
{
  if (t == NULL)
    GSL_ERROR("nn_autograd_zero_grad: the tape must not be NULL", GSL_EINVAL);
  for (size_t i = 0; i < t->count; i++)
    t->values[i].grad = 0.0;
  t->has_grads = 0;
  return GSL_SUCCESS;
}

/* ===== Drawing =====
 *
 * Columns by depth: a leaf has depth 0 and a result one more than its
 * deepest operand. A value of depth d goes in column 2d and the circle of
 * the operation that made it in column 2d - 1, so the picture reads left
 * to right like the computation: operands, operation, result. A leaf goes
 * in the column just before the first operation that uses it: the inputs
 * together at the start, and each parameter beside the unit it feeds (a
 * bias beside the sum it is added to, an output weight beside its hidden
 * value), instead of every leaf in one long first column.
 */

/* s with the characters a record label reserves replaced by '_'. */
static void
record_safe(char *dst, size_t size, const char *s)
{
  size_t n = 0;
  for (; *s != '\0' && n + 1 < size; s++)
    dst[n++] = strchr("{}|<>\\", *s) != NULL ? '_' : *s;
  dst[n] = '\0';
}

int
nn_autograd_draw(const nn_autograd *t, const nn_value *out, nn_graph *g)
{
  if (t == NULL || g == NULL)
    GSL_ERROR("nn_autograd_draw: the tape and the graph must not be NULL", GSL_EINVAL);
  if (out != NULL && !owns(t, out))
    GSL_ERROR("nn_autograd_draw: out is not a value of this tape (or was dropped by"
              " nn_autograd_rewind)", GSL_EINVAL);
  if (t->count == 0)
    return GSL_SUCCESS;
  const size_t last = out != NULL ? out->index : t->count - 1;

  /* Which values to draw (out and what it depends on), then their depths. */
  unsigned char *drawn = calloc(last + 1, 1);
  size_t *depth = calloc(2 * (last + 1), sizeof *depth);
  size_t *column = depth + last + 1;  /* the second half of the block */
  if (drawn == NULL || depth == NULL) {
    free(drawn);
    free(depth);
    GSL_ERROR("nn_autograd_draw: out of memory", GSL_ENOMEM);
  }
  if (out == NULL)
    memset(drawn, 1, last + 1);
  drawn[last] = 1;
  for (size_t i = last + 1; i-- > 0;)
    if (drawn[i])
      for (size_t k = 0; k < t->values[i].nin; k++)
        drawn[t->values[i].in[k]] = 1;
  for (size_t i = 0; i <= last; i++)
    for (size_t k = 0; k < t->values[i].nin; k++)
      if (depth[t->values[i].in[k]] + 1 > depth[i])
        depth[i] = depth[t->values[i].in[k]] + 1;
  /* Columns: 2d for a result of depth d; for a leaf, 2(d - 1) with d the
   * smallest depth among the drawn values made from it. */
  for (size_t i = 0; i <= last; i++)
    column[i] = t->values[i].nin > 0 ? 2 * depth[i] : SIZE_MAX;
  for (size_t i = 0; i <= last; i++)
    for (size_t k = 0; drawn[i] && k < t->values[i].nin; k++) {
      const size_t in = t->values[i].in[k];
      if (t->values[in].nin == 0 && 2 * depth[i] - 2 < column[in])
        column[in] = 2 * depth[i] - 2;
    }
  for (size_t i = 0; i <= last; i++)
    if (column[i] == SIZE_MAX)
      column[i] = 0;  /* out itself is a leaf */

  int status = GSL_SUCCESS;
  for (size_t i = 0; i <= last && status == GSL_SUCCESS; i++) {
    if (!drawn[i])
      continue;
    const nn_value *v = &t->values[i];
    char id[32], op_id[32], name[NN_AUTOGRAD_LABEL_MAX + 1], label[160];
    snprintf(id, sizeof id, "v%zu", i);
    snprintf(op_id, sizeof op_id, "op%zu", i);
    record_safe(name, sizeof name, v->label);
    if (name[0] != '\0')
      snprintf(label, sizeof label, "{ %s | data %.4g | grad %.4g }", name, v->data,
               v->grad);
    else
      snprintf(label, sizeof label, "{ data %.4g | grad %.4g }", v->data, v->grad);
    nn_graph_style value_style = {
      .shape = "record",
      .fillcolor = v->nin == 0 ? "#dbe9f6" : "#ffffff",
      .rank = (int) column[i], .has_rank = 1
    };
    status = nn_graph_node(g, id, label, &value_style);
    if (status != GSL_SUCCESS || v->nin == 0)
      continue;

    /* The operation: a circle, fed by its operands, feeding its result. */
    char op_label[32];
    if (v->op == NN_AUTOGRAD_POW)
      snprintf(op_label, sizeof op_label, "^%g", v->exponent);
    else
      snprintf(op_label, sizeof op_label, "%s", nn_autograd_op_name(v->op));
    nn_graph_style op_style = {
      .shape = "circle", .fillcolor = "#fff3cd",
      .rank = (int) (2 * depth[i] - 1), .has_rank = 1
    };
    status = nn_graph_node(g, op_id, op_label, &op_style);
    for (size_t k = 0; k < v->nin && status == GSL_SUCCESS; k++) {
      char in_id[32];
      snprintf(in_id, sizeof in_id, "v%zu", v->in[k]);
      status = nn_graph_edge(g, in_id, op_id, NULL, NULL);
    }
    if (status == GSL_SUCCESS)
      status = nn_graph_edge(g, op_id, id, NULL, NULL);
  }
  free(drawn);
  free(depth);
  return status;
}
