"""IntentClassifier: predictions, training, retraining when stale, and what the serving process loads."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from intents import (
    DISPUTE_LABELS,
    LABELS,
    DataError,
    IntentClassifier,
    Prediction,
)

from .conftest import ROOT, TINY_CORPUS, write_corpus

MODEL_FILE = "intents.npz"


def test_labels_are_the_twenty_of_intents_md() -> None:
    assert len(LABELS) == 20 and len(set(LABELS)) == 20
    assert LABELS[0] == "greet" and LABELS[-1] == "other"
    assert DISPUTE_LABELS == ("complaint_product", "complaint_logistics", "complaint_payment", "complaint_service")


@pytest.mark.parametrize(
    ("traditional", "simplified", "label"),
    [
        ("在嗎", "在吗", "greet"),
        ("我的訂單到哪了", "我的订单到哪了", "order_status"),
        ("能開發票嗎", "能开发票吗", "invoice"),
        ("謝謝親，拜拜", "谢谢亲，拜拜", "thanks_bye"),
        ("收到的東西是壞的", "收到的东西是坏的", "complaint_product"),
        ("不用了，謝謝", "不用了，谢谢", "deny"),
    ],
)
def test_traditional_message_gets_the_simplified_label(
    classifier: IntentClassifier, traditional: str, simplified: str, label: str
) -> None:
    t, s = classifier.predict(traditional), classifier.predict(simplified)
    assert t.intent == s.intent == label
    assert t.confidence == pytest.approx(s.confidence)


def check_prediction(p: Prediction, threshold: float) -> None:
    assert p.intent in LABELS
    assert list(p.probabilities) == list(LABELS)
    assert math.isclose(sum(p.probabilities.values()), 1.0, abs_tol=1e-9)
    assert p.confidence == p.probabilities[p.intent] == max(p.probabilities.values())
    assert 0.0 <= p.confidence <= 1.0
    assert p.dispute_probability == pytest.approx(sum(p.probabilities[d] for d in DISPUTE_LABELS))
    assert p.is_dispute == (p.dispute_probability >= threshold or p.intent in DISPUTE_LABELS)
    if p.is_dispute:
        assert p.dispute_label in DISPUTE_LABELS
        assert p.probabilities[p.dispute_label] == max(p.probabilities[d] for d in DISPUTE_LABELS)
    else:
        assert p.dispute_label is None


def test_prediction_fields_are_consistent(classifier: IntentClassifier) -> None:
    texts = ["在吗", "收到的杯子碎了！！！😡", "扣了我两次钱", "好的", "今天天气怎么样", "SF1234567890123 到哪了"]
    for p in classifier.predict_many(texts):
        check_prediction(p, classifier.dispute_threshold)
    assert 0.05 <= classifier.dispute_threshold <= 0.5


def test_clear_dispute_is_flagged(classifier: IntentClassifier) -> None:
    p = classifier.predict("收到的衣服是破的，还发错颜色了，气死了！！")
    assert p.is_dispute and p.dispute_label == "complaint_product"


def test_empty_message_is_other(classifier: IntentClassifier) -> None:
    for text in ("", "   ", "\t"):
        p = classifier.predict(text)
        assert (p.intent, p.confidence, p.is_dispute, p.dispute_label) == ("other", 1.0, False, None)


def test_predict_many_keeps_order_and_matches_predict(classifier: IntentClassifier) -> None:
    texts = ["谢谢", "", "能便宜点吗", "转人工", "在吗"]
    assert classifier.predict_many(texts) == [classifier.predict(t) for t in texts]


# ------------------------------------------------------------------------------ training and files


def test_train_save_reload_gives_same_predictions(tiny_data: Path, tmp_path: Path) -> None:
    model = IntentClassifier.train(tiny_data)
    path = tmp_path / "m" / MODEL_FILE
    model.save(path)
    loaded = IntentClassifier.from_file(path)
    texts = ["在吗亲", "谢谢拜拜", "收到就是坏的", "随便说点什么", ""]
    assert loaded.predict_many(texts) == model.predict_many(texts)
    assert loaded.info == model.info
    assert [p.name for p in path.parent.iterdir()] == [MODEL_FILE]  # no temporary file left behind


def test_training_is_deterministic(tiny_data: Path) -> None:
    a, b = IntentClassifier.train(tiny_data), IntentClassifier.train(tiny_data)
    texts = ["在吗", "多谢", "东西坏了"]
    assert a.predict_many(texts) == b.predict_many(texts)
    assert a.dispute_threshold == b.dispute_threshold


def test_labels_without_data_are_reported_and_never_predicted(tiny_data: Path) -> None:
    model = IntentClassifier.train(tiny_data)
    assert model.labels == tuple(label for label in LABELS if label in TINY_CORPUS)
    assert set(model.info.missing_labels) == set(LABELS) - set(TINY_CORPUS)
    assert model.info.label_counts == {label: 8 for label in LABELS if label in TINY_CORPUS}
    for p in model.predict_many(["包邮吗", "我要退货", "你是机器人吗"]):
        assert p.intent in TINY_CORPUS
        assert all(p.probabilities[label] == 0.0 for label in model.info.missing_labels)


def test_load_trains_when_missing_and_reuses_when_fresh(tiny_data: Path, tmp_path: Path) -> None:
    models = tmp_path / "models"
    first = IntentClassifier.load(model_dir=models, data_dir=tiny_data)
    saved = (models / MODEL_FILE).read_bytes()
    second = IntentClassifier.load(model_dir=models, data_dir=tiny_data)
    assert (models / MODEL_FILE).read_bytes() == saved  # not retrained
    assert second.info == first.info


@pytest.mark.parametrize("change", ["add_line", "edit_userdict", "add_label"])
def test_changed_training_data_triggers_retrain(tiny_data: Path, tmp_path: Path, change: str) -> None:
    models = tmp_path / "models"
    before = IntentClassifier.load(model_dir=models, data_dir=tiny_data)
    if change == "add_line":
        with (tiny_data / "train" / "greet.txt").open("a", encoding="utf-8") as f:
            f.write("老板早上好\n")
    elif change == "edit_userdict":
        (tiny_data / "userdict.txt").write_text("包邮 1000 v\n运费险 1000 n\n", "utf-8")
    else:
        (tiny_data / "train" / "deny.txt").write_text("不用了\n不要\n算了\n不对\n不是\n没有\n", "utf-8")
    after = IntentClassifier.load(model_dir=models, data_dir=tiny_data)
    assert after.info.fingerprint != before.info.fingerprint
    assert IntentClassifier.from_file(models / MODEL_FILE).info == after.info  # the retrained model was saved
    if change == "add_line":
        assert after.info.label_counts["greet"] == 9
    if change == "add_label":
        assert "deny" in after.labels


def test_test_split_never_affects_the_model(tiny_data: Path, tmp_path: Path) -> None:
    models = tmp_path / "models"
    before = IntentClassifier.load(model_dir=models, data_dir=tiny_data)
    (tiny_data / "test" / "greet.txt").write_text("哈喽哈喽\n", "utf-8")
    assert IntentClassifier.load(model_dir=models, data_dir=tiny_data).info == before.info


def test_misnamed_corpus_file_is_a_clear_error(tiny_data: Path) -> None:
    (tiny_data / "train" / "greeting.txt").write_text("你好\n", "utf-8")
    with pytest.raises(DataError, match=r"greeting\.txt.*not a label"):
        IntentClassifier.train(tiny_data)


def test_a_single_label_is_not_enough(tmp_path: Path) -> None:
    data = write_corpus(tmp_path / "data", {"greet": TINY_CORPUS["greet"]})
    with pytest.raises(DataError, match="at least two labels"):
        IntentClassifier.train(data)


# ------------------------------------------------------------------------------ the serving process


def test_package_is_plain_python_and_quiet(tmp_path: Path) -> None:
    # A fresh var dir: the model is trained and saved, all without stderr chatter, no jieba cache
    # file is written, and nothing of the IO stack is imported.
    code = (
        "import sys\n"
        "from intents import IntentClassifier\n"
        "IntentClassifier.load(data_dir=sys.argv[1]).predict('在吗')\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('aiohttp', 'telegram', 'sqlalchemy'))\n"
        "print(loaded)\n"
    )
    data = write_corpus(tmp_path / "data", TINY_CORPUS)
    env = {**os.environ, "KEFU_VAR_DIR": str(tmp_path / "var")}
    proc = subprocess.run(
        [sys.executable, "-c", code, str(data)], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
    assert proc.stderr == ""
    assert [p.name for p in (tmp_path / "var").iterdir()] == ["models"]
    assert [p.name for p in (tmp_path / "var" / "models").iterdir()] == [MODEL_FILE]


# Run in a fresh interpreter with a trained model: jieba may not read its own dictionary or cache
# (the model file carries the segmentation dictionary), and scikit-learn / scipy / skops stay unloaded.
SERVING_CODE = """
import sys, jieba
def refuse(*args, **kwargs):
    raise AssertionError("jieba's own dictionary or cache was read")
jieba.Tokenizer.initialize = jieba.Tokenizer.get_dict_file = jieba.get_module_res = refuse
from intents import IntentClassifier
clf = IntentClassifier.load(model_dir=sys.argv[1], data_dir=sys.argv[2])
answers = [clf.predict(text).intent for text in sys.argv[3:]]
heavy = sorted({m.split('.')[0] for m in sys.modules} & {'sklearn', 'scipy', 'skops', 'joblib', 'threadpoolctl'})
print(heavy, *answers)
"""


def test_loading_and_predicting_needs_no_sklearn_and_no_jieba_dictionary(tiny_data: Path, tmp_path: Path) -> None:
    models = tmp_path / "models"
    model = IntentClassifier.load(model_dir=models, data_dir=tiny_data)
    texts = ["在吗", "谢谢拜拜", "收到就是坏的"]
    env = {**os.environ, "KEFU_VAR_DIR": str(tmp_path / "var")}
    proc = subprocess.run(
        [sys.executable, "-c", SERVING_CODE, str(models), str(tiny_data), *texts],
        capture_output=True, text=True, env=env, cwd=ROOT, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["[]", *(p.intent for p in model.predict_many(texts))]
    assert not (tmp_path / "var").exists()  # nothing written: the model was fresh, no cache file
