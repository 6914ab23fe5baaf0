# docs/robustness.md's bad-input table is the output of the CLI tests that exercise each row:
# tests/cli/robust_model.sh and robust_input.sh append a markdown row per case to
# $ROBUST_TABLE. `make robustness-table` rewrites the generated part of the doc.
.PHONY: robustness-table
robustness-table: anuvad
	@rm -f build/robust-model.md build/robust-input.md; mkdir -p build
	@ROBUST_TABLE=build/robust-model.md ANUVAD=./anuvad sh tests/cli/robust_model.sh
	@ROBUST_TABLE=build/robust-input.md ANUVAD=./anuvad sh tests/cli/robust_input.sh
	@{ sed '/^<!-- table: model -->$$/q' docs/robustness.md; \
	   echo '| input | exit | stderr (first line) |'; echo '|---|---|---|'; cat build/robust-model.md; \
	   echo; sed -n '/^<!-- end: model -->$$/,/^<!-- table: input -->$$/p' docs/robustness.md; \
	   echo '| input | exit | stderr (first line); what comes out |'; echo '|---|---|---|'; cat build/robust-input.md; \
	   echo; sed -n '/^<!-- end: input -->$$/,$$p' docs/robustness.md; } > build/robustness.md
	@mv build/robustness.md docs/robustness.md
	@echo "docs/robustness.md: $$(cat build/robust-model.md build/robust-input.md | wc -l) rows"
