/* SPDX-License-Identifier: GPL-3.0-or-later */
/* hooks.c: what exercise 5's table of calls cannot say by itself: how an
 * ex5_options travels (its four fields: lr, epochs, schedule, decay), and
 * the function a descent walks. */
#ifdef NNG_PROBE_SIDE

static int
nng_get_ex5_options(nng_msg *req, ex5_options *opt)
{
  int64_t epochs, schedule;
  if (nng_msg_get_double(req, &opt->lr) || nng_msg_get_int(req, &epochs)
      || nng_msg_get_int(req, &schedule) || nng_msg_get_double(req, &opt->decay)
      || epochs < 0)
    return -1;
  opt->epochs = (size_t) epochs;
  opt->schedule = (ex5_schedule) schedule;
  return 0;
}

/* ex5_descend on the function of KIND with parameters P. */
static int
descend(int64_t kind, const gsl_vector *p, double x0, const ex5_options *opt,
        gsl_vector *xs, gsl_vector *fs, gsl_vector *dfs)
{
  if (nng_fn_check(kind, p) != 0 || (kind == NNG_FN_POLY && (p == NULL || p->size == 0)))
    return NNG_PROBE_BAD_REQUEST;
  nng_fn fn = {kind, p, 0};
  gsl_function_fdf f = {nng_fn_eval, nng_fn_deriv, nng_fn_fdf, &fn};
  return ex5_descend(&f, x0, opt, xs, fs, dfs);
}

#else

static void
nng_put_ex5_options(nng_msg *req, const ex5_options *opt)
{
  nng_msg_put_double(req, opt->lr);
  nng_msg_put_int(req, (int64_t) opt->epochs);
  nng_msg_put_int(req, opt->schedule);
  nng_msg_put_double(req, opt->decay);
}

#endif
