/* SPDX-License-Identifier: GPL-3.0-or-later */
/* checkpoint.c: a network and its optimizer to a file and back (the format
 * is in nn/checkpoint.h). The file is built in memory, checksummed with
 * zlib's CRC-32, written beside its destination and renamed over it; a file
 * is read whole and checked before anything is copied out of it. */
#include <config.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <gsl/gsl_errno.h>

#include <nn/checkpoint.h>

static const unsigned char magic[8] = {0x89, 'N', 'N', 'C', 'K', 'P', 'T', '\n'};
enum { N_OPTIONS = 11 };

/* ===== A growing byte buffer, little-endian ===== */

typedef struct {
  unsigned char *data;
  size_t len, cap;
} buffer;

static int
put(buffer *b, const void *p, size_t n)
{
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n)
      cap *= 2;
    unsigned char *d = realloc(b->data, cap);
    if (d == NULL)
      return -1;
    b->data = d;
    b->cap = cap;
  }
  memcpy(b->data + b->len, p, n);
  b->len += n;
  return 0;
}

static int
put_u(buffer *b, uint64_t v, size_t bytes)
{
  unsigned char le[8];
  for (size_t i = 0; i < bytes; i++)
    le[i] = (unsigned char) (v >> (8 * i));
  return put(b, le, bytes);
}

static int
put_f64(buffer *b, double x)
{
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  return put_u(b, bits, 8);
}

/* ===== Reading: a cursor over the file's bytes ===== */

typedef struct {
  const unsigned char *data;
  size_t len, pos;
  const char *path;
  char *why;       /* the first problem found, for the message */
  size_t why_size;
} cursor;

static int
get_u(cursor *c, size_t bytes, uint64_t *v, const char *what)
{
  if (c->len - c->pos < bytes) {
    snprintf(c->why, c->why_size,
             "is truncated: it ends at byte %zu, in the middle of %s", c->len, what);
    return -1;
  }
  uint64_t r = 0;
  for (size_t i = 0; i < bytes; i++)
    r |= (uint64_t) c->data[c->pos + i] << (8 * i);
  c->pos += bytes;
  *v = r;
  return 0;
}

static int
get_f64(cursor *c, double *x, const char *what)
{
  uint64_t bits;
  if (get_u(c, 8, &bits, what) != 0)
    return -1;
  memcpy(x, &bits, sizeof *x);
  return 0;
}

/* Room for COUNT values of SIZE bytes at the cursor? */
static int
room_for(cursor *c, uint64_t count, size_t size, const char *what)
{
  if (count > (c->len - c->pos) / size) {
    snprintf(c->why, c->why_size,
             "is truncated: %s need %llu bytes from byte %zu, but the file ends at byte %zu",
             what, (unsigned long long) count * size, c->pos, c->len);
    return -1;
  }
  return 0;
}

static void
options_to_array(const nn_optim_options *o, double a[N_OPTIONS])
{
  const double v[N_OPTIONS] = {o->lr, o->weight_decay, o->momentum, o->dampening,
                               o->alpha, o->rho, o->beta1, o->beta2, o->eps,
                               o->lr_decay, o->initial_accumulator};
  memcpy(a, v, sizeof v);
}

static void
options_from_array(nn_optim_options *o, const double a[N_OPTIONS])
{
  *o = (nn_optim_options) {
    .lr = a[0], .weight_decay = a[1], .momentum = a[2], .dampening = a[3],
    .alpha = a[4], .rho = a[5], .beta1 = a[6], .beta2 = a[7], .eps = a[8],
    .lr_decay = a[9], .initial_accumulator = a[10]};
}

/* "784-128-10" into buf. */
static const char *
shape_text(char *buf, size_t n, size_t n_sizes, const uint64_t *sizes64,
           const size_t *sizes)
{
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < n_sizes && used < n; i++)
    used += (size_t) snprintf(buf + used, n - used, "%s%llu", i ? "-" : "",
                              sizes64 ? (unsigned long long) sizes64[i]
                                      : (unsigned long long) sizes[i]);
  return buf;
}

/* ===== Save ===== */

static int
serialize(buffer *b, const nn_network *net, const nn_optim *opt)
{
  const size_t L = net->n_layers, P = net->params->size;
  int bad = put(b, magic, sizeof magic) | put_u(b, NN_CHECKPOINT_VERSION, 4)
            | put_u(b, L, 4);
  for (size_t i = 0; i <= L; i++)
    bad |= put_u(b, net->sizes[i], 8);
  for (size_t l = 0; l < L; l++)
    bad |= put_u(b, (uint64_t) net->layers[l].activation, 4);
  for (size_t l = 0; l < L; l++)
    bad |= put_f64(b, net->layers[l].slope);
  bad |= put_u(b, P, 8);
  for (size_t i = 0; i < P; i++)
    bad |= put_f64(b, gsl_vector_get(net->params, i));
  bad |= put_u(b, opt != NULL, 4);
  if (opt != NULL) {
    double a[N_OPTIONS];
    options_to_array(&opt->opt, a);
    bad |= put_u(b, (uint64_t) opt->kind, 4) | put_u(b, opt->t, 8);
    for (size_t k = 0; k < N_OPTIONS; k++)
      bad |= put_f64(b, a[k]);
    bad |= put_u(b, opt->n_state, 4);
    for (size_t k = 0; k < opt->n_state; k++)
      for (size_t i = 0; i < opt->n; i++)
        bad |= put_f64(b, gsl_vector_get(opt->state[k], i));
  }
  bad |= put_u(b, crc32(0L, b->data, (uInt) b->len), 4);
  return bad ? -1 : 0;
}

int
nn_checkpoint_save(const char *path, const nn_network *net, const nn_optim *opt)
{
  if (path == NULL || net == NULL)
    GSL_ERROR("nn_checkpoint_save: path and net must not be NULL", GSL_EINVAL);
  char msg[512];
  if (opt != NULL && opt->n != net->params->size) {
    snprintf(msg, sizeof msg,
             "nn_checkpoint_save: %s: the optimizer has %zu parameters but the network %zu",
             path, opt->n, net->params->size);
    GSL_ERROR(msg, GSL_EFAILED);
  }
  buffer b = {0};
  if (serialize(&b, net, opt) != 0) {
    free(b.data);
    GSL_ERROR("nn_checkpoint_save: out of memory", GSL_ENOMEM);
  }
  /* A new file beside PATH, renamed over it once complete. */
  const size_t n = strlen(path) + sizeof ".XXXXXX";
  char *tmp = malloc(n);
  if (tmp == NULL) {
    free(b.data);
    GSL_ERROR("nn_checkpoint_save: out of memory", GSL_ENOMEM);
  }
  snprintf(tmp, n, "%s.XXXXXX", path);
  int fd = mkstemp(tmp);
  const char *step = "create a file beside it";
  int ok = fd >= 0;
  if (ok) {
    FILE *f = fdopen(fd, "wb");
    step = "write it";
    ok = f != NULL && fwrite(b.data, 1, b.len, f) == b.len && fflush(f) == 0
         && fsync(fileno(f)) == 0;
    int saved = errno;
    if (f != NULL)
      ok = (fclose(f) == 0) && ok;
    else
      close(fd);
    errno = saved;
    if (ok) {
      step = "rename it into place";
      ok = rename(tmp, path) == 0;
    }
    if (!ok) {
      saved = errno;
      unlink(tmp);
      errno = saved;
    }
  }
  if (!ok)
    snprintf(msg, sizeof msg, "nn_checkpoint_save: %s: could not %s: %s", path, step,
             strerror(errno));
  free(tmp);
  free(b.data);
  if (!ok)
    GSL_ERROR(msg, GSL_EFAILED);
  return GSL_SUCCESS;
}

/* ===== Load ===== */

/* The whole file into memory; NULL with WHY set when it cannot be read. */
static unsigned char *
read_file(const char *path, size_t *len, char *why, size_t why_size)
{
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    snprintf(why, why_size, "cannot be opened: %s", strerror(errno));
    return NULL;
  }
  struct stat st;
  if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
    snprintf(why, why_size, "is not a regular file");
    fclose(f);
    return NULL;
  }
  unsigned char *data = malloc(st.st_size > 0 ? (size_t) st.st_size : 1);
  if (data == NULL) {
    snprintf(why, why_size, "is too large to read (%lld bytes)", (long long) st.st_size);
    fclose(f);
    return NULL;
  }
  *len = fread(data, 1, (size_t) st.st_size, f);
  if (ferror(f) || *len != (size_t) st.st_size) {
    snprintf(why, why_size, "could not be read: %s", strerror(errno));
    free(data);
    fclose(f);
    return NULL;
  }
  fclose(f);
  return data;
}

/* What the file holds, read with every length checked against the file's. */
typedef struct {
  uint64_t n_layers;
  uint64_t *sizes;        /* n_layers + 1, owned */
  uint64_t *activations;  /* n_layers, owned */
  size_t slopes_at;       /* offset of the slopes */
  uint64_t n_params;
  size_t params_at;       /* offset of the parameters */
  int has_opt;
  uint64_t opt_kind, t, n_state;
  double options[N_OPTIONS];
  size_t state_at;        /* offset of the optimizer's state vectors */
} fields;

static void
fields_free(fields *f)
{
  free(f->sizes);
  free(f->activations);
}

/* Read the fields between the version and the checksum; -1 with c->why set
 * when they do not fit in the file. */
static int
read_fields(cursor *c, fields *f)
{
  if (get_u(c, 4, &f->n_layers, "the number of layers") != 0
      || room_for(c, f->n_layers + 1, 8, "the layer sizes") != 0)
    return -1;
  f->sizes = malloc((f->n_layers + 1) * sizeof *f->sizes);
  f->activations = malloc((f->n_layers + 1) * sizeof *f->activations);
  if (f->sizes == NULL || f->activations == NULL) {
    snprintf(c->why, c->why_size, "could not be read: out of memory");
    return -1;
  }
  for (uint64_t i = 0; i <= f->n_layers; i++)
    get_u(c, 8, &f->sizes[i], "the layer sizes");
  if (room_for(c, f->n_layers, 4, "the activations") != 0)
    return -1;
  for (uint64_t l = 0; l < f->n_layers; l++)
    get_u(c, 4, &f->activations[l], "the activations");
  if (room_for(c, f->n_layers, 8, "the slopes") != 0)
    return -1;
  f->slopes_at = c->pos;
  c->pos += f->n_layers * 8;
  if (get_u(c, 8, &f->n_params, "the number of parameters") != 0
      || room_for(c, f->n_params, 8, "the parameters") != 0)
    return -1;
  f->params_at = c->pos;
  c->pos += f->n_params * 8;
  uint64_t has_opt;
  if (get_u(c, 4, &has_opt, "the optimizer flag") != 0)
    return -1;
  f->has_opt = has_opt != 0;
  if (f->has_opt) {
    if (get_u(c, 4, &f->opt_kind, "the optimizer kind") != 0
        || get_u(c, 8, &f->t, "the optimizer's step count") != 0)
      return -1;
    for (size_t k = 0; k < N_OPTIONS; k++)
      if (get_f64(c, &f->options[k], "the optimizer's options") != 0)
        return -1;
    if (get_u(c, 4, &f->n_state, "the number of state vectors") != 0)
      return -1;
    if (f->n_state > 2) {
      snprintf(c->why, c->why_size, "is malformed: %llu optimizer state vectors (at most 2)",
               (unsigned long long) f->n_state);
      return -1;
    }
    if (room_for(c, f->n_state * f->n_params, 8, "the optimizer's state") != 0)
      return -1;
    f->state_at = c->pos;
    c->pos += f->n_state * f->n_params * 8;
  }
  if (c->pos != c->len) {
    snprintf(c->why, c->why_size, "is malformed: %zu bytes follow its last field",
             c->len - c->pos);
    return -1;
  }
  return 0;
}

static double
f64_at(const unsigned char *d)
{
  uint64_t bits = 0;
  for (size_t i = 0; i < 8; i++)
    bits |= (uint64_t) d[i] << (8 * i);
  double x;
  memcpy(&x, &bits, sizeof x);
  return x;
}

/* Does the file fit NET and OPT, with values they could hold? -1 with
 * c->why set when not. */
static int
check_fit(cursor *c, const fields *f, const nn_network *net, const nn_optim *opt)
{
  const size_t L = net->n_layers, P = net->params->size;
  int same = f->n_layers == L;
  for (size_t i = 0; same && i <= L; i++)
    same = f->sizes[i] == net->sizes[i];
  if (!same) {
    char have[256], want[256];
    snprintf(c->why, c->why_size, "holds a network of shape %s, but this network is %s",
             shape_text(have, sizeof have, f->n_layers + 1, f->sizes, NULL),
             shape_text(want, sizeof want, L + 1, NULL, net->sizes));
    return -1;
  }
  for (size_t l = 0; l < L; l++)
    if (f->activations[l] != (uint64_t) net->layers[l].activation) {
      snprintf(c->why, c->why_size,
               "gives layer %zu the activation %s, but this network has %s there", l,
               f->activations[l] < NN_ACTIVATION_COUNT
                 ? nn_activation_name((nn_activation_kind) f->activations[l]) : "(unknown)",
               nn_activation_name(net->layers[l].activation));
      return -1;
    }
  if (f->n_params != P) {
    snprintf(c->why, c->why_size, "holds %llu parameters, but this network has %zu",
             (unsigned long long) f->n_params, P);
    return -1;
  }
  for (size_t l = 0; l < L; l++) {
    const double slope = f64_at(c->data + f->slopes_at + 8 * l);
    if (!(slope >= 0.0 && slope < 1.0)) {
      snprintf(c->why, c->why_size,
               "gives layer %zu the leaky-ReLU slope %g, outside [0, 1)", l, slope);
      return -1;
    }
  }
  if (opt == NULL)
    return 0;
  if (!f->has_opt) {
    snprintf(c->why, c->why_size,
             "holds no optimizer state, but an optimizer was given to load it into");
    return -1;
  }
  if (f->opt_kind != (uint64_t) opt->kind || opt->n != P || f->n_state != opt->n_state) {
    snprintf(c->why, c->why_size,
             "holds the state of %s over %zu parameters, but the optimizer given is %s "
             "over %zu",
             f->opt_kind < NN_OPTIM_N_KINDS ? nn_optim_name((nn_optim_kind) f->opt_kind)
                                            : "(unknown)",
             P, nn_optim_name(opt->kind), opt->n);
    return -1;
  }
  /* Options the optimizer could have been made with, that keep as many
   * state vectors as the file holds (RMSprop keeps a second one only with
   * momentum). */
  nn_optim_options o;
  options_from_array(&o, f->options);
  size_t n_state = 0;
  char why[192];
  if (nn_optim_options_check(&n_state, why, sizeof why, opt->kind, &o) != GSL_SUCCESS) {
    snprintf(c->why, c->why_size, "holds options that %s cannot take: %s",
             nn_optim_name(opt->kind), why);
    return -1;
  }
  if (n_state != f->n_state) {
    snprintf(c->why, c->why_size,
             "holds %llu state vector%s for %s, but its options (momentum = %g) call for %zu",
             (unsigned long long) f->n_state, f->n_state == 1 ? "" : "s",
             nn_optim_name(opt->kind), o.momentum, n_state);
    return -1;
  }
  return 0;
}

/* Magic, version, fields, checksum, fit, in that order of trust. */
static int
parse(cursor *c, const nn_network *net, const nn_optim *opt, fields *f)
{
  uint64_t v;
  if (c->len < sizeof magic || memcmp(c->data, magic, sizeof magic) != 0) {
    snprintf(c->why, c->why_size, "is not an nncourse checkpoint: %s",
             c->len == 0 ? "the file is empty"
                         : "its first 8 bytes are not the magic number");
    return -1;
  }
  c->pos = sizeof magic;
  if (get_u(c, 4, &v, "the version") != 0)
    return -1;
  if (v != NN_CHECKPOINT_VERSION) {
    snprintf(c->why, c->why_size, "has format version %llu; this library reads version %d",
             (unsigned long long) v, NN_CHECKPOINT_VERSION);
    return -1;
  }
  if (c->len - c->pos < 4) {
    snprintf(c->why, c->why_size, "is truncated: it ends at byte %zu, before its checksum",
             c->len);
    return -1;
  }
  const size_t body = c->len - 4;
  uint64_t stored = 0;
  for (size_t i = 0; i < 4; i++)
    stored |= (uint64_t) c->data[body + i] << (8 * i);
  const uint64_t computed = crc32(0L, c->data, (uInt) body);
  c->len = body;  /* the fields end where the checksum begins */
  const int fields_ok = read_fields(c, f) == 0;
  if (computed != stored) {
    /* A cut file fails both ways: say it is truncated, if that is what the
     * lengths show; otherwise its bytes were changed. */
    if (!fields_ok && strstr(c->why, "truncated") != NULL)
      snprintf(c->why + strlen(c->why), c->why_size - strlen(c->why),
               " (and its checksum does not match)");
    else
      snprintf(c->why, c->why_size,
               "is corrupted: its checksum is %08llx but its contents give %08llx",
               (unsigned long long) stored, (unsigned long long) computed);
    return -1;
  }
  if (!fields_ok)
    return -1;
  return check_fit(c, f, net, opt);
}

int
nn_checkpoint_load(const char *path, nn_network *net, nn_optim *opt)
{
  if (path == NULL || net == NULL)
    GSL_ERROR("nn_checkpoint_load: path and net must not be NULL", GSL_EINVAL);
  char why[384] = "", msg[512];
  size_t len = 0;
  unsigned char *data = read_file(path, &len, why, sizeof why);
  fields f = {0};
  int ok = data != NULL;
  if (ok) {
    cursor c = {data, len, 0, path, why, sizeof why};
    ok = parse(&c, net, opt, &f) == 0;
  }
  if (!ok) {
    free(data);
    fields_free(&f);
    snprintf(msg, sizeof msg, "nn_checkpoint_load: %s %s", path, why);
    GSL_ERROR(msg, GSL_EFAILED);
  }
  /* Everything checked: now copy. */
  const size_t P = net->params->size;
  for (size_t i = 0; i < P; i++)
    gsl_vector_set(net->params, i, f64_at(data + f.params_at + 8 * i));
  for (size_t l = 0; l < net->n_layers; l++)
    net->layers[l].slope = f64_at(data + f.slopes_at + 8 * l);
  if (opt != NULL) {
    options_from_array(&opt->opt, f.options);
    opt->t = (unsigned long) f.t;
    for (size_t k = 0; k < opt->n_state; k++)
      for (size_t i = 0; i < P; i++)
        gsl_vector_set(opt->state[k], i, f64_at(data + f.state_at + 8 * (k * P + i)));
  }
  fields_free(&f);
  free(data);
  return GSL_SUCCESS;
}
