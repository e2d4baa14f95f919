"""Hints: what Python's error message means for *this* cell, in one sentence each.

A small model names the cause well but often proposes a "fix" that repeats the failing code, or
copies the form of its worked example. The kernel knows more than the traceback: the live exception,
the failing line and the values on it. Each rule reads the interpreter's own message (CPython,
pandas, numpy), looks at the failing line and, where it must, at builtin values (dict keys, DataFrame
columns, array shapes, whether a name hides a builtin), and states the concrete cause and the usual
repair; the explain prompt shows them as facts for the model to build on.

The rules live by domain beside this module (python_*.py, stdlib.py, pandas*.py, numpy*.py); this module
holds the order they are tried in (:data:`EXACT`, :data:`BROAD`, :data:`CORRECTED`) and :func:`error_hints`.

Safe and bounded like values.py: only builtin types, ``len``, dict keys, pandas columns and numpy
shapes are read, never a user object's ``repr`` or ``__eq__``; every rule is guarded; at most
:data:`MAX_HINTS` hints of at most :data:`MAX_LINE` characters. Rules are keyed on the error messages,
not on any benchmark's cells (bench/quality_cases.py keeps a held-out set that measures that).
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

from ..facts import MAX_SCANNED_LINE, Facts, frame_scope
from ..values import failing_line
from . import (
    numpy,
    numpy_dtypes,
    pandas,
    pandas_dtypes,
    pandas_joins,
    python_code,
    python_collections,
    python_lookups,
    python_loops,
    python_numbers,
    python_text,
    python_types,
    python_values,
    said,
    stdlib,
)
from .words import MAX_LINE

__all__ = ["MAX_HINTS", "MAX_LINE", "MAX_SCANNED_LINE", "MAX_SCANNED_MESSAGE", "error_hints"]

MAX_HINTS = 3
#: The first this-many characters of a message are read (float() quotes all of a 10-million-character text).
MAX_SCANNED_MESSAGE = 2_000

Rule = Callable[[Facts], "str | None"]

#: The rules keyed on one message each, in the order they are tried: the first that speaks is the only hint of
#: its exception (the broad rules after it are not asked). Where two know one message, the earlier reads the line
#: or the values and the later is the general sentence (``'float' object cannot be interpreted as an integer``:
#: numpy.linspace_step, then python_numbers.float_in_range, then python_numbers.SAID). A table of sentences
#: (:mod:`.said`) is tried as one rule, in its place.
EXACT: tuple[Rule, ...] = (
    stdlib.closed_file,
    python_collections.sequence_times_float,
    python_loops.loop_over_dict_keys,
    python_collections.dicts_added,
    python_collections.python2_dict_methods,
    stdlib.exp_overflow,
    python_collections.pop_from_empty,
    pandas.double_brackets,
    pandas_joins.concat_of_nothing,
    pandas_dtypes.day_first_dates,
    pandas_dtypes.new_category,
    pandas.frame_of_text,
    numpy_dtypes.removed_alias,
    numpy.list_by_array,
    numpy_dtypes.isnan_of_objects,
    numpy_dtypes.negative_power,
    stdlib.single_quoted_json,
    python_numbers.number_called,
    python_loops.next_found_nothing,
    python_text.format_braces,
    python_collections.list_of_dicts,
    stdlib.decimal_and_float,
    stdlib.not_utf8,
    pandas_dtypes.fillna_method,
    pandas_dtypes.cut_labels,
    pandas_dtypes.float_of_series,
    numpy.linspace_step,
    numpy.unequal_split,
    numpy_dtypes.math_on_array,
    numpy.where_one_branch,
    python_code.misspelt_init,
    python_code.local_of_function,
    stdlib.file_mode,
    python_code.skipped_super,
    pandas_joins.read_or_merge_key,
    pandas_dtypes.qcut_edges,
    pandas.query_spaced_column,
    pandas_dtypes.tz_aware_naive,
    pandas_joins.merge_type,
    numpy_dtypes.loadtxt_header,
    numpy.where_tuple,
    said.rule(numpy.QUANTILE_RANGE),
    numpy.solve_not_square,
    stdlib.module_member,
    stdlib.write_not_str,
    python_numbers.round_text,
    python_collections.dict_of_two_lists,
    python_text.substring_not_found,
    said.rule(pandas.SCALAR_VALUES),
    pandas.ndarray_method_on_frame,
    pandas.iterrows_pair,
    pandas_dtypes.resample_without_dates,
    pandas_joins.concat_of_dict,
    numpy_dtypes.cast_in_place,
    numpy_dtypes.int_out_of_bounds,
    numpy_dtypes.numpy_in_json,
    python_numbers.text_compared_with_number,
    pandas.tuple_of_columns,
    pandas_dtypes.number_column_plus_text,
    python_loops.unpack_names,
    python_numbers.junk_in_number,
    python_text.str_method_on_list,
    python_numbers.float_in_range,
    pandas.unequal_columns,
    pandas.sample_too_large,
    numpy.probabilities_sum,
    numpy.broadcast_into,
    pandas.frame_key_error,
    pandas.chained_comparison,
    pandas_joins.merge_key_dtypes,
    pandas_dtypes.int_of_nan,
    said.rule(pandas_dtypes.DT_ON_TEXT),
    pandas_dtypes.groupby_text_columns,
    numpy.concatenate_axis,
    numpy.axis_out_of_bounds,
    numpy_dtypes.nan_into_int_array,
    numpy.ragged_rows,
    python_text.format_code_on_text,
    python_code.method_without_self,
    python_collections.sorting_mixed,
    python_collections.set_subscript,
    python_loops.changed_during_loop,
    python_code.function_without_return,
    stdlib.strptime_format,
    said.rule(pandas.SAID),
    said.rule(numpy.SAID),
    said.rule(python_text.SAID),
    said.rule(python_collections.SAID),
    said.rule(python_numbers.SAID),
    pandas_joins.pivot_duplicates,
    pandas_dtypes.to_datetime_format,
    pandas_dtypes.nan_in_apply,
    python_code.unexpected_keyword,
    numpy.singular_matrix,
    numpy.dims_mismatch,
    python_code.mutable_default,
    python_code.module_called,
    python_collections.none_from_get,
    python_collections.index_len_minus,
    python_loops.unpack_non_iterable,
)

#: The broad rules, one per kind of exception, asked when no rule of :data:`EXACT` spoke: each may add a hint.
BROAD: tuple[Rule, ...] = (
    python_lookups.key_error,
    python_types.attribute_error,
    python_types.type_error,
    python_values.value_error,
    python_lookups.index_error,
    python_lookups.name_error,
    python_lookups.import_error,
    stdlib.file_not_found,
    python_values.zero_division,
    python_values.recursion,
)

RULES: tuple[Rule, ...] = EXACT + BROAD

#: Rules for one exact message each: when one of them speaks, the broader rules after it do not.
EXCLUSIVE = frozenset(EXACT)

#: The corrected lines of the rules of :data:`EXACT`, in the order they are tried: the first line found is the one.
CORRECTED: tuple[Rule, ...] = (
    stdlib.closed_file_corrected,
    python_collections.sequence_times_float_corrected,
    python_loops.loop_over_dict_keys_corrected,
    python_collections.dicts_added_corrected,
    python_collections.python2_dict_methods_corrected,
    stdlib.exp_overflow_corrected,
    python_collections.pop_from_empty_corrected,
    pandas.double_brackets_corrected,
    pandas_joins.concat_of_nothing_corrected,
    pandas_dtypes.day_first_dates_corrected,
    pandas_dtypes.new_category_corrected,
    pandas.frame_of_text_corrected,
    numpy_dtypes.removed_alias_corrected,
    numpy.list_by_array_corrected,
    numpy_dtypes.isnan_of_objects_corrected,
    numpy_dtypes.negative_power_corrected,
    stdlib.single_quoted_json_corrected,
    python_numbers.number_called_corrected,
    python_loops.next_found_nothing_corrected,
    python_text.format_braces_corrected,
    python_collections.list_of_dicts_corrected,
    stdlib.decimal_and_float_corrected,
    stdlib.not_utf8_corrected,
    pandas_dtypes.fillna_method_corrected,
    pandas_dtypes.cut_labels_corrected,
    pandas_dtypes.float_of_series_corrected,
    numpy.linspace_step_corrected,
    numpy.unequal_split_corrected,
    numpy_dtypes.math_on_array_corrected,
    numpy.where_one_branch_corrected,
    python_code.misspelt_init_corrected,
    python_code.local_of_function_corrected,
    stdlib.file_mode_corrected,
    python_code.skipped_super_corrected,
    pandas_joins.read_or_merge_key_corrected,
    pandas_dtypes.qcut_edges_corrected,
    pandas.query_spaced_column_corrected,
    pandas_dtypes.tz_aware_naive_corrected,
    pandas_joins.merge_type_corrected,
    numpy_dtypes.loadtxt_header_corrected,
    numpy.where_tuple_corrected,
    numpy.quantile_range_corrected,
    numpy.solve_not_square_corrected,
    stdlib.module_member_corrected,
    stdlib.write_not_str_corrected,
    python_numbers.round_text_corrected,
    python_collections.dict_of_two_lists_corrected,
    python_text.substring_not_found_corrected,
    pandas.scalars_need_index_corrected,
    pandas.ndarray_method_on_frame_corrected,
    pandas.iterrows_pair_corrected,
    pandas_dtypes.resample_without_dates_corrected,
    pandas_joins.concat_of_dict_corrected,
    numpy_dtypes.cast_in_place_corrected,
    numpy_dtypes.int_out_of_bounds_corrected,
    numpy_dtypes.numpy_in_json_corrected,
    python_numbers.text_compared_with_number_corrected,
    pandas.tuple_of_columns_corrected,
    pandas_dtypes.number_column_plus_text_corrected,
    python_loops.unpack_names_corrected,
    python_numbers.junk_in_number_corrected,
    python_text.str_method_on_list_corrected,
    python_numbers.float_in_range_corrected,
    pandas.unequal_columns_corrected,
    pandas.sample_too_large_corrected,
    numpy.probabilities_sum_corrected,
    numpy.broadcast_into_corrected,
    pandas.frame_key_error_corrected,
    pandas.chained_comparison_corrected,
    pandas_joins.merge_key_dtypes_corrected,
    pandas_dtypes.int_of_nan_corrected,
    pandas_dtypes.dt_on_text_corrected,
    pandas_dtypes.groupby_text_columns_corrected,
    numpy.concatenate_axis_corrected,
    numpy.axis_out_of_bounds_corrected,
    numpy_dtypes.nan_into_int_array_corrected,
    python_text.format_code_on_text_corrected,
    python_code.method_without_self_corrected,
    python_collections.sorting_mixed_corrected,
    python_collections.set_subscript_corrected,
    python_loops.changed_during_loop_corrected,
    python_code.function_without_return_corrected,
    stdlib.strptime_format_corrected,
    pandas_dtypes.to_datetime_format_corrected,
    pandas.iloc_label_corrected,
    pandas_dtypes.nan_in_apply_corrected,
    pandas.sort_values_by_corrected,
    numpy.singular_matrix_corrected,
    numpy.dims_mismatch_corrected,
    numpy_dtypes.na_text_astype_corrected,
    python_code.mutable_default_corrected,
    python_text.list_join_corrected,
    python_collections.dict_view_index_corrected,
    python_code.module_called_corrected,
    python_collections.none_from_get_corrected,
    python_collections.index_len_minus_corrected,
    python_loops.unpack_non_iterable_corrected,
)


def _is(kind: type[BaseException]) -> Callable[[BaseException], bool]:
    return lambda exc: isinstance(exc, kind)


def _key_of(kind: type) -> Callable[[BaseException], bool]:
    return lambda exc: isinstance(exc, KeyError) and bool(exc.args) and type(exc.args[0]) is kind


#: The corrected lines of the broad rules, by the kind of exception: the first kind the exception is decides,
#: even when it finds no line (NumPy's AxisError is a ValueError and an IndexError: the ValueError one answers).
BROAD_CORRECTED: tuple[tuple[Callable[[BaseException], bool], Rule], ...] = (
    (_key_of(int), python_lookups.int_key_corrected),
    (_key_of(str), python_lookups.str_key_corrected),
    (_is(AttributeError), python_types.attribute_error_corrected),
    (_is(TypeError), python_types.type_error_corrected),
    (_is(ValueError), python_values.value_error_corrected),
    (_is(IndexError), python_lookups.index_error_corrected),
    (_is(ZeroDivisionError), python_values.zero_division_corrected),
    (_is(ModuleNotFoundError), python_lookups.import_error_corrected),
)


def _corrected(f: Facts) -> str | None:
    """The failing line (or the line that caused it) rewritten so that this error goes away, where one
    rewrite is the usual repair; None where the repair needs a choice only the user can make."""
    if not f.line:
        return None
    for corrected in CORRECTED:
        fixed = corrected(f)
        if fixed:
            return fixed
    for kind, corrected in BROAD_CORRECTED:
        if kind(f.exc):
            return corrected(f)
    return None


def _facts(exc: BaseException, line: str, cell: str | None, scope: Callable[[str], Any]) -> Facts:
    """A KeyError's str() is the repr of its key; the rules read the key itself."""
    message = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
    return Facts(exc, message[:MAX_SCANNED_MESSAGE], line, cell or "", scope)


def _scanned(cell: str | None) -> str | None:
    """The cell as the rules read it: its lines longer than :data:`MAX_SCANNED_LINE` left empty (the line
    numbers stay)."""
    if not cell or all(len(ln) <= MAX_SCANNED_LINE for ln in cell.splitlines()):
        return cell
    return "\n".join(ln if len(ln) <= MAX_SCANNED_LINE else "" for ln in cell.splitlines())


def _messages(exc: BaseException) -> Iterator[BaseException]:
    yield exc
    inner = exc.__cause__ or exc.__context__
    if inner is not None and not exc.__suppress_context__:
        yield inner


def error_hints(exc: BaseException, cell: str | None = None) -> tuple[str, ...]:
    """At most :data:`MAX_HINTS` sentences on what ``exc`` means on its failing line (empty when no rule knows)."""
    try:
        line, frame = failing_line(exc, cell)
        line = line.strip()
        if len(line) > MAX_SCANNED_LINE:
            line = ""  # message-only hints: see MAX_SCANNED_LINE
        cell = _scanned(cell)
        scope = frame_scope(frame)
        out: list[str] = []
        for err in _messages(exc):
            facts = _facts(err, line, cell, scope)
            for rule in RULES:
                try:
                    hint = rule(facts)
                except Exception:
                    hint = None
                if hint and hint not in out:
                    out.append(hint if len(hint) <= MAX_LINE else hint[: MAX_LINE - 1] + "…")
                    if rule in EXCLUSIVE:
                        break  # it knows this exact message: the older, broader rules would only blur it
            if out:
                break  # the newest exception explained: its cause is context, not a second answer
        try:
            fixed = _corrected(_facts(exc, line, cell, scope))
        except Exception:
            fixed = None
        out = out[: MAX_HINTS - 1] if fixed else out[:MAX_HINTS]
        if fixed and len(fixed) <= MAX_LINE - 30 and fixed.strip() != line.strip():
            out.append(f"A corrected line: `{fixed.strip()}`" if "\n" not in fixed.strip() else "Corrected code:\n```python\n" + fixed.strip("\n") + "\n```")
        return tuple(out)
    except Exception:
        return ()
