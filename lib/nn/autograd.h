/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nn/autograd.h: a scalar computation graph with backpropagation.
 *
 * Every number of a computation becomes a value that remembers how it was
 * made: its operation and its operands. For a neuron o = tanh(w1 x1 + w2 x2 + b)
 *
 *   x1 ─┐
 *   w1 ─┴─ × ─┐
 *   x2 ─┐     + ─┐
 *   w2 ─┴─ × ─┘  + ─ tanh ─ o
 *   b  ──────────┘
 *
 * The forward pass computes `data` as the graph is built. The backward pass
 * then computes grad = ∂o/∂v for every value v that o depends on, by the
 * chain rule, from the output back to the inputs: o's grad is seeded with 1,
 * and each operation passes its result's grad to its operands, times its
 * local derivative:
 *
 *   c = a + b      ∂c/∂a = 1             ∂c/∂b = 1
 *   c = a - b      ∂c/∂a = 1             ∂c/∂b = -1
 *   c = a · b      ∂c/∂a = b             ∂c/∂b = a
 *   c = a / b      ∂c/∂a = 1/b           ∂c/∂b = -a/b²
 *   c = a^p        ∂c/∂a = p a^(p-1)     (p a constant number)
 *   c = e^a        ∂c/∂a = e^a = c
 *   c = tanh a     ∂c/∂a = 1 - c²
 *   c = ReLU a     ∂c/∂a = 1 when a > 0, else 0 (also at 0, by convention)
 *   c = σ(a)       ∂c/∂a = c (1 - c),    σ(a) = 1/(1 + e^(-a))
 *
 * A value used twice (a·a, or a weight feeding two paths) receives one
 * contribution per use: gradients are added (+=), never overwritten.
 *
 * Values live in a tape: an arena of fixed capacity, chosen at
 * nn_autograd_alloc(), that hands out values in the order they are made (no
 * malloc per value). Since an operation can only use values that exist
 * already, the tape's order is a topological order of the graph, and the
 * backward pass is a single walk down the tape from the output.
 *
 * Gradients accumulate, so a second backward pass would add a second copy
 * of every gradient. To keep that from happening silently, backward refuses
 * (GSL_EINVAL) while the tape still holds the gradients of an earlier pass:
 * call nn_autograd_zero_grad() in between, as a training loop does before
 * every step. To train on two losses, add them into one value first.
 *
 * Legal call order:
 *
 *   t = nn_autograd_alloc(capacity);
 *   w = nn_autograd_value(t, 0.5, "w");          leaves: inputs and parameters
 *   o = nn_autograd_tanh(t, nn_autograd_mul(t, w, x, "wx"), "o");   forward
 *   nn_autograd_backward(t, o);                  w->grad = ∂o/∂w
 *   nn_autograd_draw(t, o, g);                   into an nn_graph (nn/graph.h)
 *   w->data -= lr * w->grad;                     a gradient-descent step
 *   nn_autograd_zero_grad(t);                    before the next backward
 *   nn_autograd_rewind(t, mark);                 drop the old forward pass
 *   ... build the next forward pass, backward, ...
 *   nn_autograd_free(t);
 *
 * Errors: an operation returns NULL (through GSL_ERROR_NULL) when the tape
 * is full (GSL_ENOMEM, with the capacity in the message), an operand is NULL
 * or belongs to another tape (GSL_EINVAL), the label is too long
 * (GSL_EINVAL), or the result or its local derivative is not a finite number
 * (GSL_EDOM: division by 0, a negative number to a fractional power, e^a
 * overflowing, ...). A NULL operand is refused without a crash, so a chain
 * of operations after a failure just fails again.
 */
#ifndef NN_AUTOGRAD_H
#define NN_AUTOGRAD_H

#include <stddef.h>
#include <nn/graph.h>

/* The longest label, in bytes, not counting the terminating NUL. */
#define NN_AUTOGRAD_LABEL_MAX 31

/* How a value was made. */
typedef enum nn_autograd_op {
  NN_AUTOGRAD_LEAF,     /* made by nn_autograd_value: an input or a parameter */
  NN_AUTOGRAD_ADD,
  NN_AUTOGRAD_SUB,
  NN_AUTOGRAD_MUL,
  NN_AUTOGRAD_DIV,
  NN_AUTOGRAD_POW,
  NN_AUTOGRAD_EXP,
  NN_AUTOGRAD_TANH,
  NN_AUTOGRAD_RELU,
  NN_AUTOGRAD_SIGMOID
} nn_autograd_op;

/* One number of the computation. Read any field; write only the data of
 * leaves (a parameter update), and only between a backward pass and the
 * next forward pass: values made from a leaf are not recomputed when it
 * changes. */
typedef struct nn_value {
  double data;             /* the number, computed by the forward pass */
  double grad;             /* ∂out/∂this after nn_autograd_backward(t, out); 0 before */
  nn_autograd_op op;       /* the operation that made it */
  size_t nin;              /* its number of operands: 0 (leaf), 1 or 2 */
  size_t in[2];            /* the operands' indices in the tape (first nin used) */
  double exponent;         /* p of NN_AUTOGRAD_POW; 0 otherwise */
  size_t index;            /* its own index in the tape: operands come first */
  char label[NN_AUTOGRAD_LABEL_MAX + 1];  /* its name in drawings; may be empty */
} nn_value;

/* The tape: an arena of values (opaque). */
typedef struct nn_autograd nn_autograd;

/* A tape with room for `capacity` values (>= 1), allocated once. The caller
 * frees it with nn_autograd_free; values are never freed one by one. */
nn_autograd *nn_autograd_alloc(size_t capacity);

/* Frees the tape and every value in it. Accepts NULL. */
void nn_autograd_free(nn_autograd *t);

/* How many values the tape holds now, and how many it can hold. */
size_t nn_autograd_count(const nn_autograd *t);
size_t nn_autograd_capacity(const nn_autograd *t);

/* The value at `index` (< count), or NULL (GSL_EINVAL). Points into the
 * tape: do not free; valid until the tape is rewound below it or freed. */
nn_value *nn_autograd_get(nn_autograd *t, size_t index);

/* Drop every value from index `count` on (e.g. the forward pass built after
 * the parameters: mark = nn_autograd_count(t) once they exist). Pointers to
 * dropped values must not be used again. Gradients are left as they are:
 * after a backward pass, nn_autograd_zero_grad is still needed before the
 * next one. GSL_EBADLEN when count is larger than the tape's count. */
int nn_autograd_rewind(nn_autograd *t, size_t count);

/* ===== Building the graph (the forward pass) =====
 *
 * Each call appends one value to the tape and returns it (it points into the
 * tape: do not free). label may be NULL (no label). Operands must be values
 * of the same tape. */

/* A leaf: an input or a parameter, with the number `data`. */
nn_value *nn_autograd_value(nn_autograd *t, double data, const char *label);

nn_value *nn_autograd_add(nn_autograd *t, const nn_value *a, const nn_value *b,
                          const char *label);
nn_value *nn_autograd_sub(nn_autograd *t, const nn_value *a, const nn_value *b,
                          const char *label);
nn_value *nn_autograd_mul(nn_autograd *t, const nn_value *a, const nn_value *b,
                          const char *label);
nn_value *nn_autograd_div(nn_autograd *t, const nn_value *a, const nn_value *b,
                          const char *label);

/* a^p for a constant number p (a^2, a^0.5, a^-1). a^0 is 1, with derivative
 * 0, also at a = 0; GSL_EDOM where a^p or p a^(p-1) is not a finite number
 * (0^0.5, whose slope is infinite; 0^-1; a negative a to a fractional p). */
nn_value *nn_autograd_pow(nn_autograd *t, const nn_value *a, double p,
                          const char *label);

nn_value *nn_autograd_exp(nn_autograd *t, const nn_value *a, const char *label);
nn_value *nn_autograd_tanh(nn_autograd *t, const nn_value *a, const char *label);
nn_value *nn_autograd_relu(nn_autograd *t, const nn_value *a, const char *label);
nn_value *nn_autograd_sigmoid(nn_autograd *t, const nn_value *a, const char *label);

/* ===== Gradients (the backward pass) ===== */

/* grad = ∂out/∂v for every value v that out depends on (out's own grad is
 * 1); other values keep grad 0. GSL_EINVAL when out is not a value of t, or
 * when an earlier backward pass has not been cleared by nn_autograd_zero_grad
 * (nothing is changed then). */
int nn_autograd_backward(nn_autograd *t, const nn_value *out);

/* Set every grad in the tape to 0 and allow the next backward pass. */
int nn_autograd_zero_grad(nn_autograd *t);

/* Name of an operation for drawings and messages: "+", "−", "×", "÷", "pow",
 * "exp", "tanh", "ReLU", "σ"; "" for a leaf. A constant string. */
const char *nn_autograd_op_name(nn_autograd_op op);

/* ===== Drawing ===== */

/* Add the graph of out (every value it depends on; out NULL: the whole tape)
 * to the Graphviz graph g, left to right: each value a record
 * "{ label | data 2.385 | grad -1.5 }" (the braces lay its fields out in a
 * row), each operation a small circle ("×", "+", "tanh", "^2") between its
 * operands and its result, columns by depth (leaves first). Node ids are "v<index>" and "op<index>", so g should not already
 * hold nodes of those names. Characters that records reserve ({ } | < > and
 * backslash) are shown as '_' in labels. The caller writes and renders g
 * (nn_graph_write, nn_graph_render) and frees it. */
int nn_autograd_draw(const nn_autograd *t, const nn_value *out, nn_graph *g);

#endif /* NN_AUTOGRAD_H */
