/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-checkpoint.c: libFuzzer target for the checkpoint loader (make
 * fuzz). The input's first byte is a mode and the rest the file: see
 * fuzzload.h. */
#include <config.h>

#include "fuzzload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static nn_fuzz_file file = {-1, ""};
  if (file.fd < 0) {
    gsl_set_error_handler(nn_fuzz_error_handler);
    if (nn_fuzz_file_open(&file) != 0)
      NN_FUZZ_FAIL("cannot make an in-memory file");
  }
  nn_fuzz_checkpoint(&file, data, size);
  return 0;
}
