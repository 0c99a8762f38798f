/* SPDX-License-Identifier: GPL-3.0-or-later */
/* nn/optim.h: optimizers over a parameter vector and its gradient.
 *
 * Names used throughout: θ = params, g = grads (∂J/∂θ, the network's twin
 * buffer), t = the number of the step (1 for the first), γ = the learning
 * rate, λ = weight decay. Every optimizer first adds the weight decay to the
 * gradient, g ← g + λθ (an L2 penalty λ/2‖θ‖² in the cost), then:
 *
 *   SGD        θ ← θ − γ g
 *   MOMENTUM   b ← μ b + (1 − τ) g   (b = g at t = 1)        θ ← θ − γ b
 *   NESTEROV   b as for MOMENTUM,                             θ ← θ − γ (g + μ b)
 *   ADAGRAD    s ← s + g²,  γ_t = γ / (1 + (t − 1) η_decay)   θ ← θ − γ_t g / (√s + ε)
 *   RMSPROP    v ← α v + (1 − α) g²                            θ ← θ − γ g / (√v + ε)
 *              (with momentum μ > 0: b ← μ b + g / (√v + ε),  θ ← θ − γ b)
 *   ADADELTA   v ← ρ v + (1 − ρ) g²,  Δ = √(u + ε) / √(v + ε) · g,
 *              u ← ρ u + (1 − ρ) Δ²                            θ ← θ − γ Δ
 *   ADAM       m ← β₁ m + (1 − β₁) g,  v ← β₂ v + (1 − β₂) g²,
 *              m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)             θ ← θ − γ m̂ / (√v̂ + ε)
 *
 * (squares, roots and quotients entry by entry). These are the update rules
 * and the order of operations of PyTorch's torch.optim (SGD, Adagrad,
 * RMSprop, Adadelta, Adam), and nn_optim_defaults() gives its default
 * hyper-parameters, so a step here equals a step there on the same numbers
 * (the tests check it to 1e-12). Two choices of the course: MOMENTUM and
 * NESTEROV are torch's SGD with momentum μ = 0.9 (torch's default μ is 0,
 * which is plain SGD), and SGD's rate is 0.01 (torch has no default).
 *
 * The state (b; s; v and b; v and u; m and v) lives in the optimizer,
 * allocated once by nn_optim_alloc(): a step allocates nothing, and runs one
 * contiguous loop over the parameters.
 *
 * Learning-rate schedules give γ for an epoch from the starting rate γ₀,
 * as torch.optim.lr_scheduler does (StepLR, ExponentialLR, CosineAnnealingLR):
 *
 *   NN_SCHEDULE_CONSTANT      γ₀
 *   NN_SCHEDULE_STEP          γ₀ · factor^⌊epoch / step⌋
 *   NN_SCHEDULE_EXPONENTIAL   γ₀ · factor^epoch
 *   NN_SCHEDULE_COSINE        γ_min + (γ₀ − γ_min)(1 + cos(π epoch / T)) / 2
 *
 * Gradient-norm clipping (torch.nn.utils.clip_grad_norm_): with
 * c = max_norm / (‖g‖₂ + 10⁻⁶), g ← c · g when c < 1 (so a norm within 10⁻⁶
 * below max_norm is scaled too, by a factor just under 1, as in PyTorch).
 *
 * Legal call order:
 *
 *   nn_optim_options o = nn_optim_defaults(NN_OPTIM_ADAM);  then change fields
 *   opt = nn_optim_alloc(NN_OPTIM_ADAM, net->params->size, &o);
 *   loop:  forward, backward (net->grads),
 *          [nn_optim_clip_grad_norm(net->grads, 5.0, NULL);]
 *          [nn_optim_set_lr(opt, nn_optim_schedule(...));]
 *          nn_optim_step(opt, net->params, net->grads);
 *   nn_optim_free(opt);
 *
 * Errors: GSL_EDOM for a hyper-parameter out of its range or not finite
 * (the message names it and its value), GSL_EBADLEN for params or grads of
 * another length than the optimizer's (both sizes in the message), GSL_EINVAL
 * for NULL or an unknown kind, GSL_ENOMEM.
 */
#ifndef NN_OPTIM_H
#define NN_OPTIM_H

#include <stddef.h>
#include <gsl/gsl_vector.h>

typedef enum nn_optim_kind {
  NN_OPTIM_SGD,
  NN_OPTIM_MOMENTUM,
  NN_OPTIM_NESTEROV,
  NN_OPTIM_ADAGRAD,
  NN_OPTIM_RMSPROP,
  NN_OPTIM_ADADELTA,
  NN_OPTIM_ADAM,
  NN_OPTIM_N_KINDS         /* how many kinds there are */
} nn_optim_kind;

/* The hyper-parameters; each optimizer reads the ones its rule above names. */
typedef struct nn_optim_options {
  double lr;            /* γ > 0 */
  double weight_decay;  /* λ >= 0 */
  double momentum;      /* μ in [0, 1): MOMENTUM, NESTEROV (> 0), RMSPROP */
  double dampening;     /* τ in [0, 1]: MOMENTUM (0 for NESTEROV) */
  double alpha;         /* α in [0, 1): RMSPROP */
  double rho;           /* ρ in [0, 1]: ADADELTA */
  double beta1, beta2;  /* β₁, β₂ in [0, 1): ADAM */
  double eps;           /* ε > 0: ADAGRAD, RMSPROP, ADADELTA, ADAM */
  double lr_decay;      /* η_decay >= 0: ADAGRAD */
  double initial_accumulator;  /* s at t = 0, >= 0: ADAGRAD */
} nn_optim_options;

typedef struct nn_optim {
  nn_optim_kind kind;
  nn_optim_options opt;  /* a copy of the options; lr changes with set_lr */
  size_t n;              /* the number of parameters */
  unsigned long t;       /* steps taken */
  size_t n_state;        /* state vectors the rule keeps: 0, 1 or 2 */
  gsl_vector *state[2];  /* b | s | v, b | v, u | m, v (see above); owned */
} nn_optim;

/* PyTorch's defaults for KIND (and the course's two choices above). */
nn_optim_options nn_optim_defaults(nn_optim_kind kind);

/* An optimizer of N parameters with options OPT (NULL: the defaults), its
 * state at zero (ADAGRAD's at initial_accumulator). NULL (and an error) for
 * N = 0, an unknown kind or an option out of range. */
nn_optim *nn_optim_alloc(nn_optim_kind kind, size_t n, const nn_optim_options *opt);

/* Accepts NULL. */
void nn_optim_free(nn_optim *o);

/* Could KIND's optimizer be made with options OPT (the checks of
 * nn_optim_alloc)? GSL_SUCCESS and *n_state (when not NULL) = the state
 * vectors it keeps with them; else GSL_EDOM (GSL_EINVAL for an unknown
 * kind) with the reason in why (why_size bytes), and no call to the error
 * handler: for a caller that reports in its own words, as
 * nn_checkpoint_load does for the options in a file. */
int nn_optim_options_check(size_t *n_state, char *why, size_t why_size, nn_optim_kind kind,
                           const nn_optim_options *opt);

/* One step: params ← params − (the update from grads). grads is read, not
 * changed (the weight decay is added on the fly). params and grads have n
 * entries; they may have any stride. */
int nn_optim_step(nn_optim *o, gsl_vector *params, const gsl_vector *grads);

/* Set the learning rate for the next steps (a schedule calls this once an
 * epoch). GSL_EDOM when lr is not finite and positive. */
int nn_optim_set_lr(nn_optim *o, double lr);

/* Forget the steps taken: t = 0 and the state as at alloc. */
void nn_optim_reset(nn_optim *o);

/* "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam";
 * NULL for an unknown kind. nn_optim_parse() is the inverse (GSL_EINVAL,
 * naming the word and the choices, for an unknown name). */
const char *nn_optim_name(nn_optim_kind kind);
int nn_optim_parse(const char *name, nn_optim_kind *kind);

/* ===== Learning-rate schedules ===== */

typedef enum nn_schedule_kind {
  NN_SCHEDULE_CONSTANT,
  NN_SCHEDULE_STEP,
  NN_SCHEDULE_EXPONENTIAL,
  NN_SCHEDULE_COSINE
} nn_schedule_kind;

typedef struct nn_schedule {
  nn_schedule_kind kind;
  double lr0;        /* γ₀ > 0 */
  double factor;     /* STEP, EXPONENTIAL: in (0, 1] */
  unsigned step;     /* STEP: epochs between two cuts, >= 1 */
  unsigned t_max;    /* COSINE: T, epochs of the half period, >= 1 */
  double lr_min;     /* COSINE: γ_min in [0, γ₀] */
} nn_schedule;

/* *lr = the rate for EPOCH (0 for the first) under schedule S. GSL_EDOM
 * (naming the field) for a schedule out of range. */
int nn_schedule_lr(const nn_schedule *s, unsigned epoch, double *lr);

/* ===== Gradient-norm clipping ===== */

/* c = max_norm / (‖grads‖₂ + 1e-6); when c < 1, scale grads by c.
 * *norm (when not NULL) = ‖grads‖₂ before clipping. GSL_EDOM for a max_norm
 * that is not finite and positive. */
int nn_optim_clip_grad_norm(gsl_vector *grads, double max_norm, double *norm);

#endif /* NN_OPTIM_H */
