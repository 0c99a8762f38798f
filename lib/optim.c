/* SPDX-License-Identifier: GPL-3.0-or-later */
/* optim.c: optimizers, learning-rate schedules and gradient-norm clipping
 * (see nn/optim.h for the rules). Each step is one loop over the parameters,
 * in the order of operations of torch.optim, so that the two agree to the
 * last few bits. */
#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>

#include <nn/optim.h>

static const char *const kind_names[NN_OPTIM_N_KINDS] = {
  "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam"};

const char *
nn_optim_name(nn_optim_kind kind)
{
  return (unsigned) kind < NN_OPTIM_N_KINDS ? kind_names[kind] : NULL;
}

int
nn_optim_parse(const char *name, nn_optim_kind *kind)
{
  if (name == NULL || kind == NULL)
    GSL_ERROR("nn_optim_parse: name and kind must not be NULL", GSL_EINVAL);
  for (int k = 0; k < NN_OPTIM_N_KINDS; k++)
    if (strcmp(name, kind_names[k]) == 0) {
      *kind = (nn_optim_kind) k;
      return GSL_SUCCESS;
    }
  char msg[256];
  snprintf(msg, sizeof msg,
           "nn_optim_parse: unknown optimizer '%.64s': expected sgd, momentum, "
           "nesterov, adagrad, rmsprop, adadelta or adam", name);
  GSL_ERROR(msg, GSL_EINVAL);
}

nn_optim_options
nn_optim_defaults(nn_optim_kind kind)
{
  /* torch.optim's defaults, each optimizer's own. */
  nn_optim_options o = {
    .lr = 0.01, .weight_decay = 0, .momentum = 0, .dampening = 0,
    .alpha = 0.99, .rho = 0.9, .beta1 = 0.9, .beta2 = 0.999, .eps = 1e-8,
    .lr_decay = 0, .initial_accumulator = 0};
  switch (kind) {
  case NN_OPTIM_MOMENTUM:
  case NN_OPTIM_NESTEROV: o.momentum = 0.9; break;
  case NN_OPTIM_ADAGRAD: o.eps = 1e-10; break;
  case NN_OPTIM_ADADELTA: o.lr = 1.0; o.eps = 1e-6; break;
  case NN_OPTIM_ADAM: o.lr = 0.001; break;
  default: break;
  }
  return o;
}

/* Is x finite and in [lo, hi] (an open end when the flag says so)?
 * GSL_SUCCESS, or GSL_EDOM with the reason, naming the option, in WHY. */
static int
range_why(char *why, size_t why_size, const char *name, double x, double lo, int lo_open,
          double hi, int hi_open)
{
  if (isfinite(x) && (lo_open ? x > lo : x >= lo) && (hi_open ? x < hi : x <= hi))
    return GSL_SUCCESS;
  snprintf(why, why_size, "%s = %g is out of range: expected a number in %c%g, %g%c",
           name, x, lo_open ? '(' : '[', lo, hi, hi_open ? ')' : ']');
  return GSL_EDOM;
}

/* GSL_EDOM naming the option when x is not finite or outside [lo, hi]. */
static int
check_range(const char *who, const char *name, double x, double lo, int lo_open,
            double hi, int hi_open)
{
  char why[192], msg[256];
  if (range_why(why, sizeof why, name, x, lo, lo_open, hi, hi_open) == GSL_SUCCESS)
    return GSL_SUCCESS;
  snprintf(msg, sizeof msg, "%s: %s", who, why);
  GSL_ERROR(msg, GSL_EDOM);
}

/* How many state vectors each rule keeps. */
static size_t
state_count(nn_optim_kind kind, const nn_optim_options *o)
{
  switch (kind) {
  case NN_OPTIM_SGD: return 0;
  case NN_OPTIM_MOMENTUM:
  case NN_OPTIM_NESTEROV:
  case NN_OPTIM_ADAGRAD: return 1;
  case NN_OPTIM_RMSPROP: return o->momentum > 0 ? 2 : 1;
  default: return 2;
  }
}

int
nn_optim_options_check(size_t *n_state, char *why, size_t why_size, nn_optim_kind kind,
                       const nn_optim_options *o)
{
  int s = GSL_SUCCESS;
#define CHECK(name, x, lo, lo_open, hi, hi_open) \
  if (s == GSL_SUCCESS) s = range_why(why, why_size, name, x, lo, lo_open, hi, hi_open)
  CHECK("lr", o->lr, 0, 1, INFINITY, 1);
  CHECK("weight_decay", o->weight_decay, 0, 0, INFINITY, 1);
  switch (kind) {
  case NN_OPTIM_SGD: break;
  case NN_OPTIM_MOMENTUM:
    CHECK("momentum", o->momentum, 0, 1, 1, 1);
    CHECK("dampening", o->dampening, 0, 0, 1, 0);
    break;
  case NN_OPTIM_NESTEROV:
    CHECK("momentum", o->momentum, 0, 1, 1, 1);
    CHECK("dampening (Nesterov momentum needs 0)", o->dampening, 0, 0, 0, 0);
    break;
  case NN_OPTIM_ADAGRAD:
    CHECK("eps", o->eps, 0, 1, INFINITY, 1);
    CHECK("lr_decay", o->lr_decay, 0, 0, INFINITY, 1);
    CHECK("initial_accumulator", o->initial_accumulator, 0, 0, INFINITY, 1);
    break;
  case NN_OPTIM_RMSPROP:
    CHECK("alpha", o->alpha, 0, 0, 1, 1);
    CHECK("momentum", o->momentum, 0, 0, 1, 1);
    CHECK("eps", o->eps, 0, 1, INFINITY, 1);
    break;
  case NN_OPTIM_ADADELTA:
    CHECK("rho", o->rho, 0, 0, 1, 0);
    CHECK("eps", o->eps, 0, 1, INFINITY, 1);
    break;
  case NN_OPTIM_ADAM:
    CHECK("beta1", o->beta1, 0, 0, 1, 1);
    CHECK("beta2", o->beta2, 0, 0, 1, 1);
    CHECK("eps", o->eps, 0, 1, INFINITY, 1);
    break;
  default:
    snprintf(why, why_size, "unknown optimizer kind %d", (int) kind);
    return GSL_EINVAL;
  }
#undef CHECK
  if (s == GSL_SUCCESS && n_state != NULL)
    *n_state = state_count(kind, o);
  return s;
}

/* nn_optim_options_check, reported through GSL_ERROR by WHO. */
static int
check_options(const char *who, nn_optim_kind kind, const nn_optim_options *o)
{
  char why[192], msg[256];
  const int s = nn_optim_options_check(NULL, why, sizeof why, kind, o);
  if (s == GSL_SUCCESS)
    return s;
  snprintf(msg, sizeof msg, "%s: %s", who, why);
  GSL_ERROR(msg, s);
}

nn_optim *
nn_optim_alloc(nn_optim_kind kind, size_t n, const nn_optim_options *opt)
{
  const char *who = "nn_optim_alloc";
  if (n == 0)
    GSL_ERROR_NULL("nn_optim_alloc: an optimizer needs at least 1 parameter, not 0",
                   GSL_EBADLEN);
  if ((unsigned) kind >= NN_OPTIM_N_KINDS) {
    char msg[128];
    snprintf(msg, sizeof msg, "%s: unknown optimizer kind %d", who, (int) kind);
    GSL_ERROR_NULL(msg, GSL_EINVAL);
  }
  nn_optim_options o = opt != NULL ? *opt : nn_optim_defaults(kind);
  if (check_options(who, kind, &o) != GSL_SUCCESS)
    return NULL;
  nn_optim *op = calloc(1, sizeof *op);
  if (op == NULL)
    GSL_ERROR_NULL("nn_optim_alloc: out of memory", GSL_ENOMEM);
  op->kind = kind;
  op->opt = o;
  op->n = n;
  op->n_state = state_count(kind, &o);
  for (size_t k = 0; k < op->n_state; k++) {
    op->state[k] = gsl_vector_alloc(n);
    if (op->state[k] == NULL) {
      nn_optim_free(op);
      GSL_ERROR_NULL("nn_optim_alloc: out of memory for the optimizer's state", GSL_ENOMEM);
    }
  }
  nn_optim_reset(op);
  return op;
}

void
nn_optim_free(nn_optim *o)
{
  if (o == NULL)
    return;
  for (size_t k = 0; k < 2; k++)
    if (o->state[k] != NULL)
      gsl_vector_free(o->state[k]);
  free(o);
}

void
nn_optim_reset(nn_optim *o)
{
  if (o == NULL)
    return;
  o->t = 0;
  for (size_t k = 0; k < o->n_state; k++)
    gsl_vector_set_zero(o->state[k]);
  if (o->kind == NN_OPTIM_ADAGRAD)
    gsl_vector_set_all(o->state[0], o->opt.initial_accumulator);
}

int
nn_optim_set_lr(nn_optim *o, double lr)
{
  if (o == NULL)
    GSL_ERROR("nn_optim_set_lr: the optimizer must not be NULL", GSL_EINVAL);
  int s = check_range("nn_optim_set_lr", "lr", lr, 0, 1, INFINITY, 1);
  if (s == GSL_SUCCESS)
    o->opt.lr = lr;
  return s;
}

int
nn_optim_step(nn_optim *o, gsl_vector *params, const gsl_vector *grads)
{
  if (o == NULL || params == NULL || grads == NULL)
    GSL_ERROR("nn_optim_step: the optimizer, params and grads must not be NULL",
              GSL_EINVAL);
  if (params->size != o->n || grads->size != o->n) {
    char msg[192];
    snprintf(msg, sizeof msg,
             "nn_optim_step: the optimizer has %zu parameters, but params has %zu "
             "entries and grads %zu", o->n, params->size, grads->size);
    GSL_ERROR(msg, GSL_EBADLEN);
  }
  o->t++;
  const nn_optim_options *p = &o->opt;
  const size_t n = o->n, ps = params->stride, gs = grads->stride;
  double *th = params->data;
  const double *gr = grads->data;
  double *s0 = o->n_state > 0 ? o->state[0]->data : NULL;
  double *s1 = o->n_state > 1 ? o->state[1]->data : NULL;
  const double lr = p->lr, wd = p->weight_decay;

  switch (o->kind) {
  case NN_OPTIM_SGD:
    if (wd == 0)  /* θ ← θ − γ g: one BLAS call */
      return gsl_blas_daxpy(-lr, grads, params);
    for (size_t i = 0; i < n; i++) {
      const double g = gr[i * gs] + wd * th[i * ps];
      th[i * ps] += -lr * g;
    }
    break;
  case NN_OPTIM_MOMENTUM:
  case NN_OPTIM_NESTEROV: {
    const double mu = p->momentum, keep = 1 - p->dampening;
    const int first = o->t == 1, nesterov = o->kind == NN_OPTIM_NESTEROV;
    for (size_t i = 0; i < n; i++) {
      const double g = gr[i * gs] + wd * th[i * ps];
      s0[i] = first ? g : s0[i] * mu + keep * g;          /* b */
      const double d = nesterov ? g + mu * s0[i] : s0[i];
      th[i * ps] += -lr * d;
    }
    break;
  }
  case NN_OPTIM_ADAGRAD: {
    const double clr = lr / (1 + (double) (o->t - 1) * p->lr_decay);
    for (size_t i = 0; i < n; i++) {
      const double g = gr[i * gs] + wd * th[i * ps];
      s0[i] += g * g;                                     /* s */
      th[i * ps] += -clr * (g / (sqrt(s0[i]) + p->eps));
    }
    break;
  }
  case NN_OPTIM_RMSPROP: {
    const double a = p->alpha, mu = p->momentum;
    for (size_t i = 0; i < n; i++) {
      const double g = gr[i * gs] + wd * th[i * ps];
      s0[i] = s0[i] * a + (1 - a) * (g * g);              /* v */
      const double avg = sqrt(s0[i]) + p->eps;
      if (mu > 0) {
        s1[i] = s1[i] * mu + g / avg;                     /* b */
        th[i * ps] += -lr * s1[i];
      } else {
        th[i * ps] += -lr * (g / avg);
      }
    }
    break;
  }
  case NN_OPTIM_ADADELTA: {
    const double rho = p->rho;
    for (size_t i = 0; i < n; i++) {
      const double g = gr[i * gs] + wd * th[i * ps];
      s0[i] = s0[i] * rho + (1 - rho) * (g * g);          /* v */
      const double std = sqrt(s0[i] + p->eps);
      const double delta = sqrt(s1[i] + p->eps) / std * g;
      s1[i] = s1[i] * rho + (1 - rho) * (delta * delta);  /* u */
      th[i * ps] += -lr * delta;
    }
    break;
  }
  case NN_OPTIM_ADAM: {
    const double b1 = p->beta1, b2 = p->beta2;
    const double bc1 = 1 - pow(b1, (double) o->t), bc2 = 1 - pow(b2, (double) o->t);
    const double step_size = lr / bc1, bc2_sqrt = sqrt(bc2);
    for (size_t i = 0; i < n; i++) {
      const double g = gr[i * gs] + wd * th[i * ps];
      s0[i] = s0[i] * b1 + (1 - b1) * g;                  /* m */
      s1[i] = s1[i] * b2 + (1 - b2) * (g * g);            /* v */
      const double denom = sqrt(s1[i]) / bc2_sqrt + p->eps;
      th[i * ps] += -step_size * (s0[i] / denom);
    }
    break;
  }
  default:
    GSL_ERROR("nn_optim_step: unknown optimizer kind", GSL_EINVAL);
  }
  return GSL_SUCCESS;
}

int
nn_schedule_lr(const nn_schedule *s, unsigned epoch, double *lr)
{
  const char *who = "nn_schedule_lr";
  if (s == NULL || lr == NULL)
    GSL_ERROR("nn_schedule_lr: the schedule and lr must not be NULL", GSL_EINVAL);
  int st = check_range(who, "lr0", s->lr0, 0, 1, INFINITY, 1);
  if (st != GSL_SUCCESS)
    return st;
  switch (s->kind) {
  case NN_SCHEDULE_CONSTANT:
    *lr = s->lr0;
    return GSL_SUCCESS;
  case NN_SCHEDULE_STEP:
    if ((st = check_range(who, "factor", s->factor, 0, 1, 1, 0)) != GSL_SUCCESS)
      return st;
    if (s->step == 0)
      GSL_ERROR("nn_schedule_lr: step = 0: a step schedule cuts the rate every step >= 1 "
                "epochs", GSL_EDOM);
    *lr = s->lr0 * pow(s->factor, (double) (epoch / s->step));
    return GSL_SUCCESS;
  case NN_SCHEDULE_EXPONENTIAL:
    if ((st = check_range(who, "factor", s->factor, 0, 1, 1, 0)) != GSL_SUCCESS)
      return st;
    *lr = s->lr0 * pow(s->factor, (double) epoch);
    return GSL_SUCCESS;
  case NN_SCHEDULE_COSINE:
    if ((st = check_range(who, "lr_min", s->lr_min, 0, 0, s->lr0, 0)) != GSL_SUCCESS)
      return st;
    if (s->t_max == 0)
      GSL_ERROR("nn_schedule_lr: t_max = 0: a cosine schedule needs a half period of "
                ">= 1 epochs", GSL_EDOM);
    *lr = s->lr_min
          + (s->lr0 - s->lr_min) * (1 + cos(M_PI * (double) epoch / s->t_max)) / 2;
    return GSL_SUCCESS;
  default: {
    char msg[128];
    snprintf(msg, sizeof msg, "%s: unknown schedule kind %d", who, (int) s->kind);
    GSL_ERROR(msg, GSL_EINVAL);
  }
  }
}

int
nn_optim_clip_grad_norm(gsl_vector *grads, double max_norm, double *norm)
{
  if (grads == NULL)
    GSL_ERROR("nn_optim_clip_grad_norm: grads must not be NULL", GSL_EINVAL);
  int s = check_range("nn_optim_clip_grad_norm", "max_norm", max_norm, 0, 1, INFINITY, 1);
  if (s != GSL_SUCCESS)
    return s;
  const double total = gsl_blas_dnrm2(grads);
  if (norm != NULL)
    *norm = total;
  const double coef = max_norm / (total + 1e-6);
  if (coef < 1)
    gsl_blas_dscal(coef, grads);
  return GSL_SUCCESS;
}
