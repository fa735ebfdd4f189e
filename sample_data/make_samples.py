"""Write the sample datasets in this folder. Seeded: every run writes the same bytes.

    python sample_data/make_samples.py

verse.txt   three-line poems, one per example: too small (file-size, example-count), and
            its single line breaks are meaningful, so no whitespace finding.
dirty.txt   a realistic dataset (>= 200 examples, >= 100 KB) with every kind of problem
            planted; dirty.planted.json lists each planted (rule, example index).
clean.txt   the same kind of data with nothing wrong: lint exits 0 with no finding.
prompt_completion.jsonl, chat_openai.jsonl, chat_cohere.jsonl, table.csv
            the other formats, each with planted problems listed in <stem>.planted.json.
windows1252.txt
            a file saved in Windows-1252, not UTF-8: the encoding rule's sample.
chat_tools.jsonl, preference_openai.jsonl, preference_trl.jsonl, kto.jsonl, prompts.jsonl,
alpaca.json, sharegpt.json, gemini.jsonl, converse.jsonl, bedrock_claude.jsonl,
segments.jsonl, chat.parquet
            one sample per record schema (JSON arrays and Parquet among them), each with
            its planted problems in <stem>.planted.json.
"""

from __future__ import annotations

import csv
import io
import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEPARATOR = "--SEPARATOR--"
FRAME = f"\n{SEPARATOR}\n"

POEMS = [
    "Morning fog on the pier\ngulls argue over nothing\nthe ferry is late",
    "A kettle begins to sing\nin the next apartment\nsomeone else is awake",
    "Snow on the bicycle seat\nno one has ridden it\nsince the first of March",
    "Low tide at noon\nthe crabs keep their own hours\nunder the black rocks",
    "My grandmother's recipe\nwritten in pencil\nhalf of it in the margins",
    "The library at closing\none lamp left burning\nover an open atlas",
    "Rain against the skylight\nthe cat watches each drop\nas if it owed her money",
    "Old train station clock\nstopped at ten past four\nfor thirty years now",
    "First warm evening\nthe neighbours carry chairs\nout onto the pavement",
    "A paper boat in the gutter\nsails past the bakery\nfaster than the bus",
    "Night shift ending\nthe nurse pulls off her gloves\nand looks at the sunrise",
    "Autumn in the orchard\nthe ladder leans on nothing\nbut the smell of apples",
    "Market day at dawn\nthe fishmonger hums a tune\nthat his father hummed",
    "Frost on the window\nthe child writes her name\nbackwards for the street",
    "Somewhere a dog barks\nanother dog answers it\nthe whole valley listens",
    "The lighthouse keeper\ncounts the ships by their lights\nand not by their names",
    "A letter arrives\nten years after it was sent\nthe stamp is still bright",
    "Thunder over the hills\nthe farmer does not look up\nhe has seen this sky",
    "Empty classroom chairs\nturned upside down on the desks\nlike sleeping beetles",
    "The river in spring\ncarries a whole wooden gate\npast the mill and on",
    "Late bus through the rain\nthe driver knows every stop\nby the shape of the dark",
    "Picking blackberries\nmy sleeves catch on every thorn\nthe bowl fills slowly",
    "Wind in the laundry\nthe white sheets on the line\ntry to become sails",
    "A chess game in the park\nthe old men have not spoken\nsince the second move",
    "Smoke from the chimney\nleans the way the weather goes\nbefore the radio does",
    "The baker's window\nflour handprints on the glass\nfrom some small visitor",
    "Harbour at midnight\nropes creak against the bollards\nthe sea breathes slowly",
    "An umbrella left\nin the corner of the cafe\nwaits for its owner",
    "Summer thunderstorm\nthe whole street smells of warm stone\nand then of the rain",
    "Counting the stairs\nto the top of the bell tower\nI lose track at ninety",
    "The tram bell rings twice\na pigeon steps aside\nwithout hurrying",
    "Violin practice\nthrough the wall at seven\nthe same bar again",
    "Empty beach in winter\nfootprints of a single dog\ngoing out and back",
    "Candle in the window\nthe power has been out\nsince the storm began",
    "Mountain path at dusk\nthe mule knows the way home\nbetter than I do",
    "The last page turned\nI hold the closed book a while\nbefore I stand up",
]

# Phrase banks for the prose datasets: questions and answers about running a small
# workshop, varied enough that no two generated examples share much text.
SUBJECTS = [
    "the lathe", "a bandsaw", "the dust extractor", "a chisel set", "the workbench vice",
    "a cordless drill", "the router table", "a block plane", "the spray booth", "a belt sander",
    "the compressor", "a mitre saw", "the glue press", "a marking gauge", "the tool cabinet",
    "a spokeshave", "the planer thickness", "a scroll saw", "the drying rack", "a bench grinder",
]
# (as in "when the lathe ...", as in "why does the lathe ...")
ACTIONS = [
    ("starts to vibrate", "start to vibrate"), ("leaves burn marks", "leave burn marks"),
    ("loses its setting", "lose its setting"), ("makes a grinding noise", "make a grinding noise"),
    ("pulls to one side", "pull to one side"), ("clogs after a few minutes", "clog after a few minutes"),
    ("cuts slightly out of square", "cut slightly out of square"),
    ("overheats on long jobs", "overheat on long jobs"), ("leaves a ridged finish", "leave a ridged finish"),
    ("will not hold its edge", "not hold its edge"), ("trips the breaker", "trip the breaker"),
    ("chatters on hardwood", "chatter on hardwood"), ("leaks a little oil", "leak a little oil"),
    ("slips under load", "slip under load"),
]
CAUSES = [
    "a worn drive belt", "a blade that has lost its set", "resin built up on the fence",
    "a loose mounting bolt", "humidity swelling the table", "a bearing near the end of its life",
    "an extension lead that is too thin", "dust packed around the motor vents",
    "a bent arbor washer", "the wrong grit for the timber", "a fence that has crept out of true",
    "a filter that needs emptying", "oil thinned by the cold", "a cracked pulley",
]
STEPS = [
    "unplug it and check every fastener with the right spanner",
    "clean the surfaces with mineral spirits and a brass brush",
    "measure the runout with a dial indicator before changing anything",
    "replace the part with one of the same rating from the manual",
    "wax the table so that the stock slides without sticking",
    "run a test cut on scrap and compare it against a square",
    "write the setting on masking tape stuck to the housing",
    "let the motor cool for twenty minutes between long cuts",
    "tension the belt until it deflects about a finger's width",
    "hone the edge on a fine stone and finish with a leather strop",
    "empty the collection bag before it is more than half full",
    "move the machine onto its own circuit instead of sharing one",
    "shim the fence with a strip of veneer and tighten it again",
    "keep a log of when each consumable part was last changed",
]
OPENERS = [
    "Good question.", "This comes up a lot.", "There are a few likely causes.",
    "Before buying anything new, try this.", "From what you describe,", "In my experience,",
    "Start with the simple checks.", "Most of the time,", "It depends on the age of the machine, but",
]
CLOSERS = [
    "If none of that helps, send a photo of the setup and we can look again.",
    "Safety glasses on for all of it, even the quick checks.",
    "Write down what you changed so you can undo it if needed.",
    "It should run quietly again after that.",
    "Check it once more after a week of normal use.",
    "The manual has an exploded diagram that makes this much easier.",
    "Take your time with the last step; it matters most.",
]
DETAILS = [
    "The {subject} in our shop did the same thing last winter.",
    "Look closely at {cause}; it is easy to miss.",
    "People often blame {cause} first, and they are often right.",
    "On older models {cause} is the usual culprit.",
    "If you hear it before you see it, suspect {cause}.",
    "A quick way to rule out {cause} is to swap in a spare and compare.",
    "Newer machines hide {cause} behind a cover, so take the cover off.",
]


def _example(rng: random.Random, serial: int) -> str:
    subject, action = rng.choice(SUBJECTS), rng.choice(ACTIONS)
    causes = rng.sample(CAUSES, 3)
    steps = rng.sample(STEPS, rng.randint(2, 4))
    question = f"Question {serial}: Why does {subject} in my workshop {action[1]}?"
    opener = rng.choice(OPENERS)
    when = "when" if opener.endswith(",") else "When"
    answer = [opener, f"{when} {subject} {action[0]}, the cause is usually {causes[0]} or {causes[1]}."]
    answer.append(rng.choice(DETAILS).format(subject=rng.choice(SUBJECTS).removeprefix("the ").removeprefix("a "), cause=causes[2]))
    answer.append("First, " + steps[0] + ".")
    for step in steps[1:]:
        answer.append(rng.choice(["Then", "Next,", "After that,", "Also"]) + " " + step + ".")
    answer.append(rng.choice(CLOSERS))
    return question + "\nAnswer: " + " ".join(answer)


def _prose(rng: random.Random, count: int, first_serial: int = 1) -> list[str]:
    return [_example(rng, first_serial + i) for i in range(count)]


def _replace_one_word(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    position = rng.randrange(len(words) // 3, len(words) - 2)
    words[position] = "really" if words[position] != "really" else "truly"
    return " ".join(words)


def make_dirty(rng: random.Random) -> tuple[str, list[dict]]:
    """The dirty dataset and its planted problems, as (rule, example index) records."""
    examples = _prose(rng, 240)
    planted: list[dict] = []
    pieces: list[str] = []  # final examples in file order
    joins: list[str] = []  # what follows each piece in the file

    def add(text: str, rule: str | None = None, join: str = FRAME) -> int:
        pieces.append(text)
        joins.append(join)
        if rule:
            planted.append({"rule": rule, "example": len(pieces) - 1})
        return len(pieces) - 1

    source = iter(examples)
    kept_for_copies = []
    whitespace_cases = [
        lambda t: t.replace(". ", ".  ", 2),  # runs of spaces
        lambda t: t.replace("\n", "   \n", 1),  # trailing whitespace
        lambda t: t.replace("\nAnswer:", "\n\n\n\nAnswer:"),  # stacked blank lines
        lambda t: "\n" + t,  # blank line at the start
        lambda t: t + "\n\n",  # blank lines at the end
        lambda t: t.replace(" ", "\u00a0", 3),  # no-break spaces
        lambda t: t.replace("workshop", "work\u200bshop", 1),  # zero-width space
        lambda t: t.replace(". ", ".\r", 1),  # a lone carriage return
        lambda t: t.replace("\nAnswer:", "\n\fAnswer:"),  # form feed
        lambda t: t.replace(" ", "\t\t", 1),  # tabs between words
    ]
    for position in range(240):
        text = next(source)
        if position % 24 == 5 and whitespace_cases:
            add(whitespace_cases.pop(0)(text), "excessive-whitespace")
        else:
            add(text)
        if position in (10, 40, 70, 100):
            kept_for_copies.append(len(pieces) - 1)
        if position == 30:
            add("", "empty-example")
        if position == 60:
            add("   \n  ", "empty-example")
        if position == 90:
            add("Thanks!", "short-example")
        if position == 120:
            add("See above.", "short-example")
        if position == 150:
            add("Yes, that works.", "short-example")
        if position == 180:
            loop = "Click here for the best deals on workshop tools today!"
            add("\n".join([loop] * 8), "repetitive-example")
        if position == 200:
            add(" ".join(["buy cheap saw blades now best price free delivery"] * 6), "repetitive-example")
        if position == 210:
            add(
                "A woodworking joke, kept on purpose with its layout:\n"
                "    _____\n"
                "   |     |   the   plank\n"
                "   |_____|   never   lies"
            )
    # Exact copies (case and spacing differ) and near copies (one word changed) of kept examples.
    for original in kept_for_copies[:2]:
        text = pieces[original]
        add(text.replace("Question", "QUESTION", 1), "exact-duplicate")
    for original in kept_for_copies[2:]:
        add(_replace_one_word(pieces[original], rng), "near-duplicate")
    # A separator written inside running text splits the example where it stands.
    add(
        "Question 999: Can I glue oak to pine? Answer: Yes, with a PVA glue and clamps. " + SEPARATOR,
        "separator-in-text",
        join=" ",
    )
    # The space left before the inline separator is trailing whitespace of that example.
    planted.append({"rule": "excessive-whitespace", "example": len(pieces) - 1})
    add("Leave it clamped overnight and keep the shop above ten degrees while it cures, or the joint may stay weak.")
    # A fenced code block keeps its layout: no finding.
    add("Question 1000: How do I log machine hours?\nAnswer: A small script works:\n```\nhours = {}\nhours['lathe']  = 12\n```")
    content = "".join(piece + join for piece, join in zip(pieces, joins))
    content = content[: -len(joins[-1])] + "\n"
    return content, planted


class Planted:
    """Records of a sample file in order, with the problems planted in them."""

    def __init__(self) -> None:
        self.records: list[str] = []
        self.planted: list[dict] = []

    def add(self, record: str, *rules: str) -> int:
        self.records.append(record)
        for rule in rules:
            self.planted.append({"rule": rule, "example": len(self.records) - 1})
        return len(self.records) - 1


def _pair(rng: random.Random, serial: int) -> tuple[str, str]:
    question, answer = _example(rng, serial).split("\nAnswer: ")
    # The ticket number keeps two questions about the same machine apart: the same prompt
    # with two answers would be a conflicting-target finding nobody planted.
    return f"{question.split(': ', 1)[1]} (ticket {serial})", answer


def make_prompt_completion(rng: random.Random) -> tuple[str, list[dict]]:
    sample = Planted()
    pairs = [_pair(rng, i) for i in range(220)]

    def record(prompt: str, completion: str, **extra) -> str:
        return json.dumps({"prompt": prompt, "completion": completion, **extra}, ensure_ascii=False)

    for number, (prompt, completion) in enumerate(pairs):
        if number == 20:
            sample.add('{"prompt": "Why does my saw bind?", "completion": "Because the kerf closes', "invalid-record")
        if number == 40:
            sample.add(json.dumps({"prompt": "What oil for the lathe?"}), "invalid-record")
        if number == 60:
            sample.add(record(prompt, "  "), "empty-example", "record-schema")
        if number == 80:
            # The same prompt again below, with its real answer: a conflicting target too.
            sample.add(record(prompt, "Sharpen it."), "short-example", "conflicting-target")
        if number == 100:
            completion = completion.replace(". ", ".  ", 1)
            sample.add(record(prompt + " ", completion), "excessive-whitespace")
            continue
        if number == 120:
            sample.add(record(prompt, completion.replace(" ", "\u0007", 1)), "encoding")
            continue
        if number == 140:
            sample.add(record(prompt, completion.replace("the", "th\ufffd", 1)), "encoding")
            continue
        if number == 160:
            sample.add(record(prompt, " ".join([completion] * 16)), "long-example", "repetitive-example")
            continue
        sample.add(record(prompt, completion, source="workshop-forum", id=number))
    sample.add(sample.records[5].replace('"id": 5', '"id": 1005'), "exact-duplicate")
    near = json.loads(sample.records[9])
    near["completion"] = _replace_one_word(near["completion"], rng)
    sample.add(json.dumps(near, ensure_ascii=False), "near-duplicate")
    # An edited copy of a record's answer is also the same prompt with another answer,
    # reported at the first record of the pair.
    sample.planted.append({"rule": "conflicting-target", "example": 9})
    return "\n".join(sample.records) + "\n", sample.planted


def make_chat(rng: random.Random, profile: str) -> tuple[str, list[dict]]:
    system, user, model = {"openai": ("system", "user", "assistant"), "cohere": ("System", "User", "Chatbot")}[profile]
    other_user, other_model = ("User", "Chatbot") if profile == "openai" else ("user", "assistant")
    sample = Planted()

    def chat(*turns: tuple[str, str]) -> str:
        return json.dumps({"messages": [{"role": r, "content": c} for r, c in turns]}, ensure_ascii=False)

    for number in range(210):
        prompt, answer = _pair(rng, number)
        follow_up, second = _pair(rng, number + 1000)
        turns = [(system, "You answer questions about workshop machines."), (user, prompt), (model, answer)]
        if number % 3 == 0:
            turns += [(user, follow_up), (model, second)]
        if number == 15:
            record = json.loads(chat((user, prompt), (model, answer)))
            record["messages"][1]["weight"] = 2
            sample.add(json.dumps(record, ensure_ascii=False), "record-schema")
        elif number == 30:
            sample.add(chat((system, "Be brief."), (user, prompt)), "record-schema")
        elif number == 45:
            sample.add(chat((user, prompt), (model, answer), (system, "Late instructions.")), "record-schema")
        elif number == 60:
            sample.add(chat((user, prompt), ("narrator", "Meanwhile..."), (model, answer)), "record-schema")
        elif number == 75:
            # The other convention's roles: read as chat with unknown roles in an OpenAI file;
            # not a Cohere record at all in a Cohere file.
            sample.add(chat((other_user, prompt), (other_model, answer)),
                       "record-schema" if profile == "openai" else "invalid-record")
        elif number == 90:
            sample.add(chat((user, prompt), (model, answer.replace(". ", ".\n\n\n\n", 1))), "excessive-whitespace")
        elif number == 105:
            sample.add(chat((user, prompt), (model, "Yes.")), "short-example")
        else:
            sample.add(chat(*turns))
    sample.add(sample.records[7], "exact-duplicate")
    return "\n".join(sample.records) + "\n", sample.planted


def make_csv(rng: random.Random) -> tuple[str, list[dict]]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["prompt", "completion", "source"])
    sample = Planted()
    rows = []
    for number in range(215):
        prompt, answer = _pair(rng, number)
        # Answers in this file keep their steps on lines of their own: embedded newlines.
        answer = answer.replace(" First, ", "\nFirst, ").replace(" Then ", "\nThen ")
        rows.append([prompt, answer, "forum"])
    for number, row in enumerate(rows):
        if number == 50:
            row = [row[0], row[1].replace("\n", "   \n", 1), row[2]]
            rules = ("excessive-whitespace",)
        elif number == 100:
            row = [row[0], "Oil it.", row[2]]
            rules = ("short-example",)
        else:
            rules = ()
        sample.add(_csv_line(row), *rules)
    sample.add(sample.records[3], "exact-duplicate")
    sample.add("A row with,too,many,fields\n", "invalid-record")
    sample.add(_csv_line(rows[7][:1] + ["The last answer, cut off"])[:-1] + ',"forum', "invalid-record")
    return buffer.getvalue() + "".join(sample.records), sample.planted


def _csv_line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()


def _json(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False)


def make_chat_tools(rng: random.Random) -> tuple[str, list[dict]]:
    """OpenAI-style chat as people write it today: tool calls, images, weights, developer
    messages."""
    sample = Planted()
    tools = [{"type": "function", "function": {"name": "lookup_part", "description": "Find a spare part by machine",
                                               "parameters": {"type": "object", "properties": {"machine": {"type": "string"}}}}}]
    for number in range(40):
        prompt, answer = _pair(rng, number + 2000)
        machine = prompt.split()[-1].strip("?")
        call = {"id": f"call_{number}", "type": "function",
                "function": {"name": "lookup_part", "arguments": json.dumps({"machine": machine})}}
        if number % 4 == 0:
            messages = [{"role": "developer", "content": "Answer as the workshop's parts desk."},
                        {"role": "user", "content": prompt},
                        {"role": "assistant", "content": None, "tool_calls": [call]},
                        {"role": "tool", "tool_call_id": f"call_{number}", "content": json.dumps({"part": f"P-{number:04d}"})},
                        {"role": "assistant", "content": answer}]
        elif number % 4 == 1:
            messages = [{"role": "user", "content": prompt},
                        {"role": "user", "content": [{"type": "image_url", "image_url": {"url": f"https://example.com/shop/{number}.jpg"}}]},
                        {"role": "assistant", "content": answer}]
        elif number % 4 == 2:
            follow_up, second = _pair(rng, number + 3000)
            messages = [{"role": "system", "content": "You answer questions about workshop machines."},
                        {"role": "user", "content": prompt}, {"role": "assistant", "content": answer, "weight": 0},
                        {"role": "user", "content": follow_up}, {"role": "assistant", "content": second, "weight": 1}]
        else:
            messages = [{"role": "user", "content": prompt}, {"role": "assistant", "content": answer}]
        record = {"messages": messages, **({"tools": tools} if number % 4 == 0 else {})}
        rules: tuple[str, ...] = ()
        if number == 8:
            call["function"]["arguments"] = "{machine: " + machine
            rules = ("record-schema",)
        elif number == 12:
            messages[3]["tool_call_id"] = "call_missing"
            rules = ("record-schema",)
        elif number == 19:
            messages[-1]["weight"] = 1.0
            rules = ("record-schema",)
        sample.add(_json(record), *rules)
    return "\n".join(sample.records) + "\n", sample.planted


def _sample(rng: random.Random, serial: int, build, plants: dict, count: int = 30, join=None) -> tuple[str, list[dict]]:
    """``count`` records made by ``build(prompt, answer, rng, number)``, each ``plants``
    entry (number -> (change, rules)) changing its record in place and planting its rules;
    JSON Lines unless ``join`` writes them otherwise."""
    sample = Planted()
    for number in range(count):
        prompt, answer = _pair(rng, number + serial)
        record = build(prompt, answer, rng, number)
        change, rules = plants.get(number, (None, ()))
        if change is not None:
            record = change(record) or record
        sample.add(_json(record), *rules)
    return (join or (lambda records: "\n".join(records) + "\n"))(sample.records), sample.planted


def make_preference_openai(rng: random.Random) -> tuple[str, list[dict]]:
    def build(prompt, answer, rng, number):
        _, worse = _pair(rng, number + 4500)
        return {"input": {"messages": [{"role": "user", "content": prompt}]},
                "preferred_output": [{"role": "assistant", "content": answer}],
                "non_preferred_output": [{"role": "assistant", "content": worse}]}

    def same(record):
        record["non_preferred_output"] = record["preferred_output"]

    ends_on_assistant = (lambda r: r["input"]["messages"].append({"role": "assistant", "content": "Let me think."}),
                         ("record-schema",))
    return _sample(rng, 4000, build, {10: ends_on_assistant, 20: (same, ("record-schema",))})


def make_preference_trl(rng: random.Random) -> tuple[str, list[dict]]:
    def build(prompt, answer, rng, number):
        _, worse = _pair(rng, number + 5500)
        if number % 2:
            return {"prompt": prompt, "chosen": answer, "rejected": worse}
        return {"chosen": [{"role": "user", "content": prompt}, {"role": "assistant", "content": answer}],
                "rejected": [{"role": "user", "content": prompt}, {"role": "assistant", "content": worse}]}

    def a_list(record):
        record["rejected"] = [{"role": "assistant", "content": record["rejected"]}]

    def same(record):
        record["rejected"] = record["chosen"]

    return _sample(rng, 5000, build, {9: (a_list, ("record-schema",)), 21: (same, ("record-schema",))})


def make_kto(rng: random.Random) -> tuple[str, list[dict]]:
    def build(prompt, answer, rng, number):
        return {"prompt": prompt, "completion": answer, "label": number % 3 != 0}

    return _sample(rng, 6000, build, {14: (lambda r: r.update(label="yes"), ("record-schema",))})


def make_prompts(rng: random.Random) -> tuple[str, list[dict]]:
    def build(prompt, answer, rng, number):
        if number == 6:
            return {"prompt": [{"role": "user", "content": prompt}, {"role": "assistant", "content": answer}]}
        return {"prompt": [{"role": "user", "content": prompt}]} if number % 2 else {"prompt": prompt}

    return _sample(rng, 7000, build, {6: (None, ("record-schema",))})


def make_alpaca(rng: random.Random) -> tuple[str, list[dict]]:
    """A JSON array, indented as Stanford Alpaca's alpaca_data.json is."""
    def build(prompt, answer, rng, number):
        if number % 5 == 0:
            return {"instruction": "Answer the workshop question.", "input": prompt, "output": answer}
        return {"instruction": prompt, "input": "", "output": answer}

    def spaced(record):
        record["output"] = record["output"].replace(". ", ".   ", 1)

    plants = {7: (lambda r: r.update(output=""), ("record-schema", "empty-example")),
              17: (lambda r: r.update(history=[["How do I start?"]]), ("record-schema",)),
              27: (spaced, ("excessive-whitespace",))}
    text, planted = _sample(rng, 8000, build, plants, count=40, join=lambda records: records)
    indented = [json.dumps(json.loads(record), ensure_ascii=False, indent=4).replace("\n", "\n    ") for record in text]
    return "[\n    " + ",\n    ".join(indented) + "\n]\n", planted


def make_sharegpt(rng: random.Random) -> tuple[str, list[dict]]:
    """A JSON array with one record a line, as many ShareGPT dumps are."""
    def build(prompt, answer, rng, number):
        record: dict = {"conversations": [{"from": "human", "value": prompt}, {"from": "gpt", "value": answer}]}
        if number % 3 == 0:
            record["system"] = "You answer questions about workshop machines."
        return record

    def bing(record):
        record["conversations"][1]["from"] = "bing"

    def thanks(record):
        record["conversations"].append({"from": "human", "value": "Thanks, that helps a lot."})

    return _sample(rng, 9000, build, {11: (bing, ("record-schema",)), 23: (thanks, ("record-schema",))}, count=40,
                   join=lambda records: "[" + ",\n ".join(records) + "]\n")


def make_gemini(rng: random.Random) -> tuple[str, list[dict]]:
    def build(prompt, answer, rng, number):
        return {"systemInstruction": {"parts": [{"text": "You answer questions about workshop machines."}]},
                "contents": [{"role": "user", "parts": [{"text": prompt}]},
                             {"role": "model", "parts": [{"text": answer}]}]}

    def assistant(record):
        record["contents"][1]["role"] = "assistant"

    return _sample(rng, 10000, build, {13: (assistant, ("record-schema",))})


def make_converse(rng: random.Random) -> tuple[str, list[dict]]:
    def build(prompt, answer, rng, number):
        return {"schemaVersion": "bedrock-conversation-2024",
                "system": [{"text": "You answer questions about workshop machines."}],
                "messages": [{"role": "user", "content": [{"text": prompt}]},
                             {"role": "assistant", "content": [{"text": answer}]}]}

    def two_users(record):
        record["messages"].insert(1, {"role": "user", "content": [{"text": "Please be detailed."}]})

    return _sample(rng, 11000, build, {16: (two_users, ("record-schema",))})


def make_bedrock_claude(rng: random.Random) -> tuple[str, list[dict]]:
    def build(prompt, answer, rng, number):
        return {"system": "You answer questions about workshop machines.",
                "messages": [{"role": "user", "content": prompt}, {"role": "assistant", "content": answer}]}

    return _sample(rng, 12000, build, {5: (lambda r: r.update(id=5), ("record-schema",))})


def make_segments(rng: random.Random) -> tuple[str, list[dict]]:
    def build(prompt, answer, rng, number):
        return {"segments": [{"label": False, "text": f"<s>Question: {prompt}\n"},
                             {"label": True, "text": f"Answer: {answer}</s>"}]}

    def a_string(record):
        record["segments"][1]["label"] = "true"

    return _sample(rng, 13000, build, {22: (a_string, ("record-schema",))})


def make_chat_parquet(rng: random.Random) -> tuple[list[dict], list[dict]]:
    """Chat rows for a Parquet file (written by ``write_parquet``)."""
    sample = Planted()
    rows = []
    for number in range(40):
        prompt, answer = _pair(rng, number + 14000)
        messages = [{"role": "user", "content": prompt, "weight": None},
                    {"role": "assistant", "content": answer, "weight": 1 if number % 2 else None}]
        rules: tuple[str, ...] = ()
        if number == 9:
            messages[1]["weight"] = 2
            rules = ("record-schema",)
        elif number == 29:
            messages[1]["content"] = answer + "   "
            rules = ("excessive-whitespace",)
        rows.append({"messages": messages, "source": "workshop-forum"})
        sample.add(_json(rows[-1]), *rules)
    return rows, sample.planted


#: The schema samples: file name, generator, seed.
SCHEMA_SAMPLES = [
    ("chat_tools.jsonl", make_chat_tools, 21),
    ("preference_openai.jsonl", make_preference_openai, 23),
    ("preference_trl.jsonl", make_preference_trl, 29),
    ("kto.jsonl", make_kto, 31),
    ("prompts.jsonl", make_prompts, 37),
    ("alpaca.json", make_alpaca, 41),
    ("sharegpt.json", make_sharegpt, 43),
    ("gemini.jsonl", make_gemini, 47),
    ("converse.jsonl", make_converse, 53),
    ("bedrock_claude.jsonl", make_bedrock_claude, 59),
    ("segments.jsonl", make_segments, 61),
]


def write_parquet(path: Path, rows: list[dict]) -> None:
    """The rows as Parquet (pyarrow writes its version into the file, so the bytes differ
    between pyarrow versions; the values do not)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(rows), path, compression="zstd")


def make_windows_1252() -> bytes:
    notes = [
        "Café-style workbench notes: the façade of the cabinet is finished with a naïve, hand-rubbed oil.",
        "Crème wax goes on after the oil has cured for a week; buff it with a soft cloth.",
        "The piñata stand was glued with hide glue, which can be undone with warm water.",
    ]
    return FRAME.join(notes).encode("cp1252") + b"\n"


def main() -> None:
    rng = random.Random(20261124)
    (HERE / "verse.txt").write_text(FRAME.join(POEMS) + "\n", encoding="utf-8")
    dirty, planted = make_dirty(rng)
    (HERE / "dirty.txt").write_text(dirty, encoding="utf-8", newline="")
    _write_planted("dirty", planted)
    clean = _prose(random.Random(7), 1950)
    (HERE / "clean.txt").write_text(FRAME.join(clean) + "\n", encoding="utf-8")
    text, planted = make_prompt_completion(random.Random(11))
    (HERE / "prompt_completion.jsonl").write_text(text, encoding="utf-8", newline="")
    _write_planted("prompt_completion", planted)
    for profile in ("openai", "cohere"):
        text, planted = make_chat(random.Random(13), profile)
        (HERE / f"chat_{profile}.jsonl").write_text(text, encoding="utf-8", newline="")
        _write_planted(f"chat_{profile}", planted)
    text, planted = make_csv(random.Random(17))
    (HERE / "table.csv").write_text(text, encoding="utf-8", newline="")
    _write_planted("table", planted)
    (HERE / "windows1252.txt").write_bytes(make_windows_1252())
    for name, make, seed in SCHEMA_SAMPLES:
        text, planted = make(random.Random(seed))
        (HERE / name).write_text(text, encoding="utf-8", newline="")
        _write_planted(name.rsplit(".", 1)[0], planted)
    rows, planted = make_chat_parquet(random.Random(67))
    write_parquet(HERE / "chat.parquet", rows)
    _write_planted("chat", planted)


def _write_planted(stem: str, planted: list[dict]) -> None:
    (HERE / f"{stem}.planted.json").write_text(json.dumps(planted, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
