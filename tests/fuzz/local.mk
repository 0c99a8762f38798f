# SPDX-License-Identifier: GPL-3.0-or-later
## tests/fuzz/: fuzz targets for the IDX reader and the checkpoint loader,
## their seed corpus, and the test of make check that replays the corpus.
##
##   make fuzz                    build both targets with clang and run each
##                                for FUZZ_SECONDS (default 60) seconds
##   make fuzz FUZZ_SECONDS=600 FUZZ_TARGETS=checkpoint
##   make fuzz-corpus             rewrite the seed corpus in the source tree
##
## The targets are built with clang -fsanitize=fuzzer,address,undefined
## against the library's sources compiled with the same flags (not against
## libnncourse). make fuzz is not part of make check: configure looks for
## clang and libFuzzer, and make fuzz says what is missing. The inputs it
## finds go to tests/fuzz/found-NAME in the build tree, crashes to
## tests/fuzz/crash-NAME-*; a crash that is fixed joins the seed corpus, so
## that test-fuzz-corpus replays it in every make check.

# Every corpus file through the loaders, in the ordinary build.
check_PROGRAMS += tests/test-fuzz-corpus
TESTS += tests/test-fuzz-corpus
tests_test_fuzz_corpus_SOURCES = tests/test-fuzz-corpus.c %D%/fuzzload.h
tests_test_fuzz_corpus_CPPFLAGS = $(TEST_CPPFLAGS) $(ZLIB_CFLAGS)
tests_test_fuzz_corpus_LDADD = $(TEST_LDADD) $(ZLIB_LIBS)

# The seed corpus is written by a program, not by hand; the inputs of
# crashes the fuzzer found (crash-*, as it wrote them) stay.
EXTRA_PROGRAMS += %D%/make-corpus
%C%_make_corpus_SOURCES = %D%/make-corpus.c %D%/fuzzload.h
%C%_make_corpus_CPPFLAGS = $(AM_CPPFLAGS) $(ZLIB_CFLAGS)
%C%_make_corpus_LDADD = lib/libnncourse.la $(GSL_LIBS) $(ZLIB_LIBS)
fuzz-corpus: %D%/make-corpus$(EXEEXT)
	$(MKDIR_P) $(srcdir)/%D%/corpus-idx $(srcdir)/%D%/corpus-checkpoint
	find $(srcdir)/%D%/corpus-idx $(srcdir)/%D%/corpus-checkpoint -type f \
	  ! -name 'crash-*' -exec rm -f {} +
	./%D%/make-corpus $(srcdir)/%D%/corpus-idx $(srcdir)/%D%/corpus-checkpoint
PHONY_TARGETS += fuzz-corpus

EXTRA_DIST += %D%/fuzz-idx.c %D%/fuzz-checkpoint.c %D%/corpus-idx %D%/corpus-checkpoint

FUZZ_SECONDS = 60
FUZZ_TARGETS = idx checkpoint
FUZZ_FLAGS = -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer -g -O1
FUZZ_CPPFLAGS = -DHAVE_INLINE -I$(top_srcdir)/lib -I$(top_builddir) $(GSL_CFLAGS) \
	$(ZLIB_CFLAGS)
FUZZ_LIB_OBJS = $(patsubst lib/%.c,%D%/lib-%.o,$(filter %.c,$(lib_libnncourse_la_SOURCES)))
FUZZ_BINARIES = %D%/fuzz-idx %D%/fuzz-checkpoint

fuzz-check:
	@if test -n '$(NN_FUZZ_MISSING)'; then \
	  echo "make fuzz: $(NN_FUZZ_MISSING); then run configure again" >&2; exit 1; fi

%D%/lib-%.o: $(top_srcdir)/lib/%.c $(nninclude_HEADERS) | fuzz-check
	@$(MKDIR_P) $(@D)
	$(AM_V_CC)$(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_CPPFLAGS) -c -o $@ $<
$(addsuffix .o,$(FUZZ_BINARIES)): %.o: $(top_srcdir)/%.c $(top_srcdir)/%D%/fuzzload.h | fuzz-check
	@$(MKDIR_P) $(@D)
	$(AM_V_CC)$(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_CPPFLAGS) -c -o $@ $<
$(FUZZ_BINARIES): %: %.o $(FUZZ_LIB_OBJS)
	$(AM_V_CCLD)$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_LIB_OBJS) $(GSL_LIBS) $(ZLIB_LIBS) -lm

# Each target in turn, from its seed corpus; what it finds goes to the build
# tree. libFuzzer prints its figures (execs, cov, ft, corp) at the end.
fuzz: $(addprefix %D%/fuzz-,$(FUZZ_TARGETS))
	@for t in $(FUZZ_TARGETS); do \
	  $(MKDIR_P) %D%/found-$$t || exit 1; \
	  echo "make fuzz: %D%/fuzz-$$t for $(FUZZ_SECONDS) s"; \
	  ./%D%/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=%D%/crash-$$t- $(FUZZ_ARGS) \
	    %D%/found-$$t $(srcdir)/%D%/corpus-$$t || exit 1; \
	done
PHONY_TARGETS += fuzz fuzz-check

clean-local: clean-local-fuzz
clean-local-fuzz:
	-rm -rf %D%/found-* %D%/crash-* %D%/lib-*.o %D%/fuzz-*.o $(FUZZ_BINARIES)
PHONY_TARGETS += clean-local-fuzz
