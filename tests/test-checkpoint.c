/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of nn/checkpoint.h: a network and its optimizer round-trip bit for
 * bit; every kind of damaged or mismatched file is refused with a message
 * that names the file and the problem, and leaves the network as it was. */
#include "nntest.h"

#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <gsl/gsl_rng.h>
#include <nn/checkpoint.h>

typedef struct {
  char dir[64];
  char path[128];
  nn_network *net;
  nn_optim *opt;
} fixture;

static nn_network *
make_net(const size_t *sizes, size_t n, const nn_activation_kind *acts, unsigned long seed)
{
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, seed);
  nn_network *net = nn_network_alloc(sizes, n, acts, 4);
  assert_non_null(net);
  assert_int_equal(nn_network_init(net, r), GSL_SUCCESS);
  /* biases too, so that every parameter is a distinct number */
  for (size_t i = 0; i < net->params->size; i++)
    gsl_vector_set(net->params, i, gsl_vector_get(net->params, i) + 1e-3 * (double) i);
  gsl_rng_free(r);
  return net;
}

static const size_t sizes[] = {3, 5, 2};
static const nn_activation_kind acts[] = {NN_ACTIVATION_LEAKY_RELU, NN_ACTIVATION_SIGMOID};

static int
setup(void **state)
{
  fixture *f = calloc(1, sizeof *f);
  snprintf(f->dir, sizeof f->dir, "test-checkpoint.XXXXXX");
  assert_non_null(mkdtemp(f->dir));
  snprintf(f->path, sizeof f->path, "%s/net.ckpt", f->dir);
  f->net = make_net(sizes, 3, acts, 7);
  assert_int_equal(nn_network_set_slope(f->net, 0, 0.125), GSL_SUCCESS);
  f->opt = nn_optim_alloc(NN_OPTIM_ADAM, f->net->params->size, NULL);
  /* a few steps so that the optimizer state is not all zeros */
  gsl_vector_set_all(f->net->grads, 0.3);
  for (int t = 0; t < 3; t++)
    nn_optim_step(f->opt, f->net->params, f->net->grads);
  *state = f;
  return 0;
}

static int
teardown(void **state)
{
  fixture *f = *state;
  char cmd[160];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
  if (system(cmd) != 0)
    fprintf(stderr, "could not remove %s\n", f->dir);
  nn_network_free(f->net);
  nn_optim_free(f->opt);
  free(f);
  return 0;
}

static int
same_bits(const gsl_vector *a, const gsl_vector *b)
{
  return a->size == b->size && memcmp(a->data, b->data, a->size * sizeof(double)) == 0;
}

static void
network_and_optimizer_round_trip_bit_for_bit(void **state)
{
  fixture *f = *state;
  assert_int_equal(nn_checkpoint_save(f->path, f->net, f->opt), GSL_SUCCESS);
  nn_network *back = make_net(sizes, 3, acts, 99);
  nn_optim *opt = nn_optim_alloc(NN_OPTIM_ADAM, back->params->size, NULL);
  assert_false(same_bits(back->params, f->net->params));
  assert_int_equal(nn_checkpoint_load(f->path, back, opt), GSL_SUCCESS);
  assert_true(same_bits(back->params, f->net->params));
  assert_true(back->layers[0].slope == 0.125);
  assert_int_equal(opt->t, 3);
  for (size_t k = 0; k < 2; k++)
    assert_true(same_bits(opt->state[k], f->opt->state[k]));
  /* The next step of both is the same, bit for bit. */
  gsl_vector_set_all(back->grads, -0.7);
  gsl_vector_set_all(f->net->grads, -0.7);
  nn_optim_step(opt, back->params, back->grads);
  nn_optim_step(f->opt, f->net->params, f->net->grads);
  assert_true(same_bits(back->params, f->net->params));
  /* Without an optimizer the same file loads the network alone. */
  nn_network *alone = make_net(sizes, 3, acts, 5);
  assert_int_equal(nn_checkpoint_load(f->path, alone, NULL), GSL_SUCCESS);
  nn_network_free(alone);
  nn_network_free(back);
  nn_optim_free(opt);
}

/* Write BYTES (LEN) to the fixture's path. */
static void
write_bytes(const fixture *f, const unsigned char *bytes, size_t len)
{
  FILE *out = fopen(f->path, "wb");
  assert_non_null(out);
  assert_int_equal(fwrite(bytes, 1, len, out), len);
  fclose(out);
}

/* Load into a fresh network that must come out unchanged; the error must
 * name the file and contain WANT. */
static void
expect_refused(const fixture *f, nn_optim *opt, const char *want)
{
  nn_network *net = make_net(sizes, 3, acts, 11);
  gsl_vector *before = gsl_vector_alloc(net->params->size);
  gsl_vector_memcpy(before, net->params);
  nn_test_last_error[0] = '\0';
  const int status = nn_checkpoint_load(f->path, net, opt);
  if (status == GSL_SUCCESS)
    fail_msg("a damaged file (%s) was loaded", want);
  if (strstr(nn_test_last_error, f->path) == NULL || strstr(nn_test_last_error, want) == NULL)
    fail_msg("the error \"%s\" should name %s and say \"%s\"", nn_test_last_error, f->path, want);
  assert_true(same_bits(before, net->params));
  gsl_vector_free(before);
  nn_network_free(net);
}

static unsigned char *
saved_bytes(fixture *f, size_t *len)
{
  assert_int_equal(nn_checkpoint_save(f->path, f->net, f->opt), GSL_SUCCESS);
  FILE *in = fopen(f->path, "rb");
  assert_non_null(in);
  unsigned char *buf = malloc(1 << 16);
  *len = fread(buf, 1, 1 << 16, in);
  fclose(in);
  assert_true(*len > 100 && *len < (1 << 16));
  return buf;
}

static void
damaged_files_are_refused_with_what_is_wrong(void **state)
{
  fixture *f = *state;
  size_t len;
  unsigned char *good = saved_bytes(f, &len);
  unsigned char *bad = malloc(len);

  write_bytes(f, good, 0);
  expect_refused(f, NULL, "the file is empty");

  memcpy(bad, good, len);
  bad[1] = 'X';
  write_bytes(f, bad, len);
  expect_refused(f, NULL, "not an nncourse checkpoint");

  memcpy(bad, good, len);
  bad[8] = 2;  /* version 2 */
  write_bytes(f, bad, len);
  expect_refused(f, NULL, "format version 2");

  /* Cut anywhere after the header: truncated. */
  const size_t cuts[] = {13, 40, len / 2, len - 5, len - 1};
  for (size_t k = 0; k < sizeof cuts / sizeof cuts[0]; k++) {
    write_bytes(f, good, cuts[k]);
    expect_refused(f, NULL, "truncated");
  }

  /* One bit flipped in a parameter: the checksum catches it. */
  memcpy(bad, good, len);
  bad[len / 2] ^= 0x10;
  write_bytes(f, bad, len);
  expect_refused(f, NULL, "corrupted");

  /* A byte more at the end. */
  unsigned char *longer = malloc(len + 1);
  memcpy(longer, good, len);
  longer[len] = 0;
  write_bytes(f, longer, len + 1);
  expect_refused(f, NULL, "corrupted");
  free(longer);

  expect_refused(&(fixture) {"", "no/such/folder/net.ckpt", NULL, NULL}, NULL,
                 "cannot be opened");
  free(bad);
  free(good);
}

static void
mismatched_networks_and_optimizers_are_refused(void **state)
{
  fixture *f = *state;
  assert_int_equal(nn_checkpoint_save(f->path, f->net, NULL), GSL_SUCCESS);
  /* another shape */
  const size_t other[] = {3, 6, 2};
  nn_network *net = make_net(other, 3, acts, 1);
  nn_test_last_error[0] = '\0';
  assert_int_equal(nn_checkpoint_load(f->path, net, NULL), GSL_EFAILED);
  assert_non_null(strstr(nn_test_last_error, "3-5-2"));
  assert_non_null(strstr(nn_test_last_error, "3-6-2"));
  nn_network_free(net);
  /* another activation */
  const nn_activation_kind tanh_acts[] = {NN_ACTIVATION_LEAKY_RELU, NN_ACTIVATION_TANH};
  net = make_net(sizes, 3, tanh_acts, 1);
  nn_test_last_error[0] = '\0';
  assert_int_equal(nn_checkpoint_load(f->path, net, NULL), GSL_EFAILED);
  assert_non_null(strstr(nn_test_last_error, "tanh"));
  nn_network_free(net);
  /* an optimizer asked for, none saved */
  nn_optim *adam = nn_optim_alloc(NN_OPTIM_ADAM, f->net->params->size, NULL);
  expect_refused(f, adam, "no optimizer state");
  /* another optimizer kind */
  assert_int_equal(nn_checkpoint_save(f->path, f->net, f->opt), GSL_SUCCESS);
  nn_optim *sgd = nn_optim_alloc(NN_OPTIM_MOMENTUM, f->net->params->size, NULL);
  expect_refused(f, sgd, "adam");
  nn_optim_free(sgd);
  nn_optim_free(adam);
}

/* The f64 at byte AT of BYTES becomes X, and the checksum is made right
 * again: a file that is well formed but holds a value out of range. */
static void
set_f64(unsigned char *bytes, size_t len, size_t at, double x)
{
  uint64_t bits;
  memcpy(&bits, &x, sizeof bits);
  for (size_t i = 0; i < 8; i++)
    bytes[at + i] = (unsigned char) (bits >> (8 * i));
  const uLong crc = crc32(0L, bytes, (uInt) (len - 4));
  for (size_t i = 0; i < 4; i++)
    bytes[len - 4 + i] = (unsigned char) (crc >> (8 * i));
}

/* Offsets in a file of the 3-5-2 network with an optimizer (nn/checkpoint.h):
 * magic, version, L, 3 sizes, 2 activations, then the 2 slopes; P and the
 * P parameters, the flag, kind and t, then the 11 options. */
enum { SLOPES_AT = 8 + 4 + 4 + 3 * 8 + 2 * 4 };
static size_t
option_at(const nn_network *net, size_t k)
{
  return SLOPES_AT + 2 * 8 + 8 + 8 * net->params->size + 4 + 4 + 8 + 8 * k;
}

static void
values_out_of_range_are_refused(void **state)
{
  fixture *f = *state;
  size_t len;
  unsigned char *good = saved_bytes(f, &len);
  unsigned char *bad = malloc(len);
  assert_true(option_at(f->net, 10) + 8 <= len - 4);
  nn_optim *adam = nn_optim_alloc(NN_OPTIM_ADAM, f->net->params->size, NULL);

  /* A leaky ReLU's slope must be in [0, 1), as nn_network_set_slope says. */
  const double slopes[] = {1.5, -0.25, NAN};
  for (size_t k = 0; k < 3; k++) {
    memcpy(bad, good, len);
    set_f64(bad, len, SLOPES_AT + 8, slopes[k]);
    write_bytes(f, bad, len);
    expect_refused(f, NULL, "slope");
  }
  /* Options the optimizer could not have been made with: lr <= 0, beta2 >= 1. */
  memcpy(bad, good, len);
  set_f64(bad, len, option_at(f->net, 0), -2.385);
  write_bytes(f, bad, len);
  expect_refused(f, adam, "lr = -2.385");
  memcpy(bad, good, len);
  set_f64(bad, len, option_at(f->net, 7), 1.0);
  write_bytes(f, bad, len);
  expect_refused(f, adam, "beta2 = 1");
  nn_optim_free(adam);
  free(good);

  /* RMSprop keeps a second state vector only with momentum: a file of one
   * vector whose options ask for momentum would step into a vector that
   * is not there. */
  nn_optim *rms = nn_optim_alloc(NN_OPTIM_RMSPROP, f->net->params->size, NULL);
  assert_int_equal(rms->n_state, 1);
  fixture with_rms = *f;
  with_rms.opt = rms;
  good = saved_bytes(&with_rms, &len);
  free(bad);
  bad = malloc(len);
  memcpy(bad, good, len);
  set_f64(bad, len, option_at(f->net, 2), 0.9);
  write_bytes(f, bad, len);
  expect_refused(f, rms, "momentum");
  nn_optim_free(rms);
  free(good);
  free(bad);
}

static void
a_failed_save_keeps_the_old_file(void **state)
{
  fixture *f = *state;
  assert_int_equal(nn_checkpoint_save(f->path, f->net, NULL), GSL_SUCCESS);
  size_t len;
  unsigned char *first = saved_bytes(f, &len);
  /* A folder that is not writable: saving fails and names the file. */
  if (geteuid() != 0) {
    char ro[96];
    snprintf(ro, sizeof ro, "%s/ro", f->dir);
    assert_int_equal(mkdir(ro, 0500), 0);
    char target[128];
    snprintf(target, sizeof target, "%s/net.ckpt", ro);
  nn_test_last_error[0] = '\0';
    assert_int_equal(nn_checkpoint_save(target, f->net, NULL), GSL_EFAILED);
    assert_non_null(strstr(nn_test_last_error, target));
  }
  /* A save into a missing folder fails and leaves the old checkpoint alone. */
  nn_test_last_error[0] = '\0';
  assert_int_equal(nn_checkpoint_save("no/such/folder/net.ckpt", f->net, NULL), GSL_EFAILED);
  assert_non_null(strstr(nn_test_last_error, "no/such/folder/net.ckpt"));
  size_t len2;
  FILE *in = fopen(f->path, "rb");
  unsigned char *again = malloc(len);
  len2 = fread(again, 1, len, in);
  fclose(in);
  assert_int_equal(len2, len);
  assert_memory_equal(first, again, len);
  free(first);
  free(again);
}

int
main(void)
{
  nn_test_init();
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(network_and_optimizer_round_trip_bit_for_bit, setup, teardown),
    cmocka_unit_test_setup_teardown(damaged_files_are_refused_with_what_is_wrong, setup, teardown),
    cmocka_unit_test_setup_teardown(mismatched_networks_and_optimizers_are_refused, setup, teardown),
    cmocka_unit_test_setup_teardown(values_out_of_range_are_refused, setup, teardown),
    cmocka_unit_test_setup_teardown(a_failed_save_keeps_the_old_file, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
