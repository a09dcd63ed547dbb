"""Builder of the bundled dataset `reference_questions` (NLP Journey, chapter 6).

usage: python make_reference_questions.py [OUT_DIR]
Writes OUT_DIR/{validation,test}.jsonl: questions about Python's statements, each with a short reference answer
and the key of the one sentence of the Python Language Reference that answers it. The questions and answers were
written by hand for the course (QUESTIONS below); this script finds each one's evidence sentence in the topics that
CPython ships in `pydoc_data.topics`, checks that the answer is in it, keys it by a hash of its text (so the data
carry no text of the documentation and still find their sentence on another Python version if it is unchanged),
and splits the questions into validation and test with a fixed seed. Run it under CPython 3.11 (the topics the
anchors were written against); it regenerates the files byte for byte.
"""

import random
import sys
from pathlib import Path
from pydoc_data.topics import topics

from jsonl import write_jsonl

from nlpjourney.data import sentence_key, sentence_spans

SEED = 606
N_VALIDATION = 25

# The sentence rule and the key live in the course package, so that the notebooks that resolve these keys use the
# very code that made them (see the datasheet for the rule).


def normalize(text):
    return " ".join(text.split())


# (topic, anchor: a few words that occur in exactly one sentence of the topic, question, short answer)
QUESTIONS = [
    ("with", "wrap the execution of a block", "Which kind of object supplies the setup and teardown methods that a with block runs?", "context manager"),
    ("with", '"__enter__()" method is invoked', "Which method of the context manager is called as the with block starts?", "__enter__"),
    ("with", "is assigned to it", "In `with open(path) as f`, which method's return value is bound to f?", "__enter__"),
    ("with", "three \"None\" arguments", "What arguments does __exit__ receive when the with body finished without an exception?", "None"),
    ("with", "the exception is suppressed", "How can a context manager swallow an exception raised inside its with block?", "true"),
    ("with", "surrounded by parentheses", "How can several context managers of one with statement be written over multiple lines?", "parentheses"),
    ("with", "multiple context expressions", "Since which Python version can one with statement take more than one context expression?", "3.1"),
    ("try", "must be last", "Where must a bare except clause, one without an exception type, be placed?", "last"),
    ("try", "non- virtual base class", "Which classes named in an except clause make it match a raised exception?", "base class"),
    ("try", "reference cycle", "Why is the name bound by `except E as name` deleted when the handler ends?", "reference cycle"),
    ("try", "assigned to a different name", "How can I keep using the caught exception after its except block has finished?", "different name"),
    ("try", "calling \"sys.exception()\"", "Which function of the sys module returns the exception that is being handled?", "sys.exception"),
    ("try", "are used for handling", "What kind of exception is except* meant to handle?", "ExceptionGroup"),
    ("try", "not possible to mix", "Can one try statement have both except and except* clauses?", "not possible"),
    ("try", "cannot appear in an", "Which statements are forbidden inside an except* clause?", "break"),
    ("try", "optional \"else\" clause is executed", "When does the else block that follows the except clauses of a try run?", "no exception"),
    ("try", "Exceptions in the \"else\" clause", "Are exceptions raised in a try statement's else block caught by its except clauses?", "not handled"),
    ("try", "saved exception is discarded", "What happens to a pending exception when the finally block executes a return?", "discarded"),
    ("try", "always be the last one executed", "If both the try block and its finally block return a value, which one does the function return?", "finally"),
    ("try", "set as the context of the new", "When a finally block raises while another exception is pending, where does the pending one end up?", "context"),
    ("try", "Prior to Python 3.8", "Since which Python version may continue appear inside a finally clause?", "3.8"),
    ("raise", "currently being handled", "What does a bare raise do inside an except block?", "re-raises"),
    ("raise", "isn’t currently an active exception", "Which error does a bare raise produce when no exception is being handled?", "RuntimeError"),
    ("raise", "either a subclass or an instance", "Which class must everything that is raised derive from?", "BaseException"),
    ("raise", "traceback object is normally created", "Which attribute of an exception holds its traceback?", "__traceback__"),
    ("raise", "If the second expression is an exception instance", "In `raise NewError from err`, which attribute of the new exception stores err?", "__cause__"),
    ("raise", "The previous exception is then attached", "When an exception is raised while another is handled, which attribute records the earlier one?", "__context__"),
    ("raise", "explicitly suppressed by specifying", "What do I write after from to hide the original exception when raising a different one?", "None"),
    ("raise", "set your own traceback in one step", "Which exception method sets a traceback of my choosing while I raise it?", "with_traceback"),
    ("class", "Classes without an inheritance list", "Which base class does a class get when its definition lists none?", "object"),
    ("class", "newly created local namespace", "In which namespace is the body of a class statement executed?", "local namespace"),
    ("class", "order in which attributes are defined", "Where is the order in which a class body defines its attributes preserved?", "__dict__"),
    ("class", "they are shared by instances", "Are variables assigned in a class body shared between its instances?", "shared"),
    ("class", "unexpected results", "Why is a mutable class attribute a risky default for instance attributes?", "unexpected results"),
    ("class", "Class Decorators The proposal", "Which PEP added decorators for classes?", "3129"),
    ("class", "customized heavily using", "What is used to customize how classes are created?", "metaclasses"),
    ("for", "not deleted when the loop is finished", "Does a for loop delete its loop variables when it ends?", "not deleted"),
    ("for", "This overwrites all previous", "Does assigning to the loop variable inside a for body change the next item the loop gets?", "overwrites"),
    ("for", "When the iterator is exhausted", "When does the else clause of a for loop run?", "exhausted"),
    ("for", "successively yields", "Which numbers does iterating over range(3) produce?", "0, 1, and then 2"),
    ("for", "Starred elements are now allowed", "Since which version may the iterable of a for statement contain starred elements?", "3.11"),
    ("while", "goes back to testing the expression", "After continue in a while loop, what does the loop do next?", "testing the expression"),
    ("while", "repeated execution as long as", "Which statement repeats a block for as long as a condition stays true?", "while"),
    ("if", "selects exactly one of the suites", "How many branches of an if/elif/else chain are executed?", "exactly one"),
    ("if", "If all expressions are false", "When does the else block of an if statement run?", "false"),
    ("break", "loop control target keeps", "After break stops a for loop, what value does the loop variable keep?", "current value"),
    ("break", "before really leaving the loop", "When break leaves a try block that has a finally clause, when does the finally block run?", "before really leaving the loop"),
    ("break", "skipping the optional", "Which loop does break terminate when loops are nested?", "nearest enclosing loop"),
    ("continue", "next cycle of the nearest", "What does continue do inside a loop?", "next cycle"),
    ("continue", "before really starting the next loop cycle", "When continue leaves a try block that has a finally clause, when does the finally block run?", "before really starting the next loop cycle"),
    ("pass", "null operation", "What happens when Python executes pass?", "nothing happens"),
    ("pass", "useful as a placeholder", "What is pass useful for?", "placeholder"),
    ("assert", "not expression: raise AssertionError", "Which exception does a failing assert statement raise?", "AssertionError"),
    ("assert", "command line option", "Which command-line option turns __debug__ off?", "-O"),
    ("assert", "emits no code for an assert", "Does the compiler generate any code for assert statements when optimizations are requested?", "no code"),
    ("assert", "Assignments to \"__debug__\"", "Can a program assign a new value to __debug__?", "illegal"),
    ("assert", "raise AssertionError(expression2)", "What happens to the second expression of `assert test, message` when the test fails?", "AssertionError(expression2)"),
    ("del", "If the name is unbound", "What error does del raise for a name that is not bound?", "NameError"),
    ("del", "from left to right", "In which order does `del a, b, c` delete its targets?", "left to right"),
    ("del", "assignment of an empty slice", "What is deleting a slice of a list equivalent to?", "empty slice"),
    ("return", "else \"None\" is substituted", "What does a function return from a return statement without an expression?", "None"),
    ("return", "will cause \"StopIteration\" to be raised", "Which exception signals that a generator has finished because it executed return?", "StopIteration"),
    ("return", "\"StopIteration.value\" attribute", "Where does the value of `return value` in a generator end up?", "StopIteration.value"),
    ("return", "A non-empty \"return\" statement", "Can an asynchronous generator return a value with return?", "syntax error"),
    ("return", "not within a nested class definition", "May return appear in a class body that is nested inside a function?", "not within a nested class definition"),
    ("yield", "sufficient to cause that definition", "What turns a def into a generator function instead of a normal function?", "yield"),
    ("yield", "only used in the body of the generator", "Where may yield expressions and statements be used?", "generator function"),
    ("yield", "omit the parentheses", "What does the yield statement let me leave out compared with the yield expression?", "parentheses"),
    ("global", "holds for the entire current code block", "How far does a global declaration apply?", "entire current code block"),
    ("global", "defined as formal parameters", "May a name declared global also be a parameter of the function?", "formal parameters"),
    ("global", "supplied to the built-in \"exec()\"", "Does a global statement in a string passed to exec() affect the code that calls exec()?", "does not affect"),
    ("global", "impossible to assign to a global", "Can a function assign to a module-level variable without declaring it global?", "impossible"),
    ("global", "textually preceding", "Can a name be used earlier in a block than the global statement that declares it?", "textually preceding"),
    ("nonlocal", "nearest enclosing scope excluding", "Where does nonlocal look for the variables it names?", "nearest enclosing scope"),
    ("nonlocal", "must refer to pre-existing bindings", "Can nonlocal create a new variable in an enclosing function?", "pre-existing bindings"),
    ("nonlocal", "Access to Names in Outer Scopes", "Which PEP specified the nonlocal statement?", "3104"),
]  # fmt: skip


def evidence_of(topic, anchor):
    """The one sentence of `topic` whose normalized text contains the anchor."""
    text = topics[topic]
    found = [
        normalize(text[a:b]) for a, b in sentence_spans(text) if normalize(anchor) in normalize(text[a:b])
    ]
    if len(found) != 1:
        raise ValueError(f"{topic}: anchor {anchor!r} is in {len(found)} sentences, not exactly one")
    return found[0]


def main(out: Path) -> None:
    rows = []
    for topic, anchor, question, answer in QUESTIONS:
        evidence = evidence_of(topic, anchor)
        if answer.casefold() not in evidence.casefold():
            raise ValueError(f"{topic}: the answer {answer!r} is not in its evidence {evidence!r}")
        rows.append(
            {"topic": topic, "question": question, "answer": answer, "evidence": sentence_key(evidence)}
        )
    if len({r["question"] for r in rows}) != len(rows):
        raise ValueError("a question occurs twice")
    random.Random(SEED).shuffle(rows)
    splits = {"validation": rows[:N_VALIDATION], "test": rows[N_VALIDATION:]}
    out.mkdir(parents=True, exist_ok=True)
    for split, part in splits.items():
        part = sorted(part, key=lambda r: (r["topic"], r["question"]))
        write_jsonl(
            out / f"{split}.jsonl", [{"qid": f"{split[0]}{i:02d}", **row} for i, row in enumerate(part)]
        )


if __name__ == "__main__":
    main(
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).parents[2] / "src/nlpjourney/data/reference_questions"
    )
