"""Classification: output/loss pairs (gradients against a hand-written backprop and central differences),
labels, standardisation, validation, early stopping, optimisers, and the train/predict/evaluate CLI."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from derivations import NumericError, get_activation
from derivations.delta_rule import delta_rule_latex, prove_delta_rule
from numeric import compile_gradient, init_model, load_model, save_model, train
from numeric.cli import main
from numeric.data import encode_labels, stratified_split
from numeric.examples import flowers_data, write_flowers_csv
from numeric.losses import softmax

from .helpers import ATOL, EPS, RTOL

PAIRS = [("identity", "mse"), ("tanh", "mse"), ("sigmoid", "bce"), ("softmax", "cce")]


def _hand_written(W, b, X, Y, hidden, output, loss, lam):
    """(J, dW, db) straight from the chain rule, without the compiled code or the delta rule's module."""
    m, k = X.shape[1], len(W)
    zs, acts = [], [X]
    for i in range(1, k + 1):
        zs.append(W[i] @ acts[-1] + b[i])
        name = hidden if i < k else output
        acts.append(softmax(zs[-1]) if name == "softmax" else get_activation(name).numpy_pair()[0](zs[-1]))
    A = acts[-1]
    J = {"mse": lambda: np.sum((A - Y) ** 2) / (2 * m),
         "bce": lambda: -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m,
         "cce": lambda: -np.sum(Y * np.log(A)) / m}[loss]() + lam * sum(np.sum(w * w) for w in W.values()) / (2 * m)
    if loss == "mse":
        g = (A - Y) / m * get_activation(output).numpy_pair()[1](zs[-1])
    elif loss == "bce":  # dJ/dA = (A - Y) / (A (1 - A)) / m, times sigma' = A (1 - A)
        g = (A - Y) / (A * (1 - A)) / m * (A * (1 - A))
    else:  # dJ/dA = -Y / A / m through the softmax Jacobian diag(A) - A A^T, column by column
        G = -Y / A / m
        g = A * G - A * np.sum(A * G, axis=0, keepdims=True)
    dW, db = {}, {}
    for i in range(k, 0, -1):
        dW[i], db[i] = g @ acts[i - 1].T + lam * W[i] / m, g.sum(axis=1, keepdims=True)
        if i > 1:
            g = (W[i].T @ g) * get_activation(hidden).numpy_pair()[1](zs[i - 2])
    return float(J), dW, db


def _targets(rng, loss, n_k, m):
    if loss == "cce":
        return np.eye(n_k)[:, rng.integers(0, n_k, m)]
    if loss == "bce":
        return rng.uniform(0, 1, (n_k, m))
    return rng.normal(size=(n_k, m))


@settings(max_examples=25, deadline=None)
@given(pair=st.sampled_from(PAIRS), hidden=st.sampled_from(["tanh", "sigmoid", "softplus"]),
       widths=st.lists(st.integers(1, 4), min_size=1, max_size=3), n_k=st.integers(2, 3),
       m=st.integers(1, 5), lam=st.sampled_from([0.0, 0.7]), seed=st.integers(0, 2**16))
def test_every_output_loss_pair_matches_hand_written_backprop_and_central_differences(
        pair, hidden, widths, n_k, m, lam, seed):
    output, loss = pair
    rng = np.random.default_rng(seed)
    ws = [*widths, n_k]
    W = {i: rng.normal(0, 1, (ws[i], ws[i - 1])) for i in range(1, len(ws))}
    b = {i: rng.normal(0, 0.5, (ws[i], 1)) for i in range(1, len(ws))}
    X, Y = rng.normal(size=(ws[0], m)), _targets(rng, loss, n_k, m)
    acts = [hidden] * (len(ws) - 2) + [output]
    grad = compile_gradient(acts, loss=loss, weight_decay=lam > 0)
    J, dW, db = grad(W, b, X, Y, lam)
    J_ref, dW_ref, db_ref = _hand_written(W, b, X, Y, hidden, output, loss, lam)
    label = f"{acts} {loss} lambda={lam} widths={ws} m={m}"
    assert J == pytest.approx(J_ref, rel=1e-10, abs=1e-12), label
    for i in W:
        np.testing.assert_allclose(dW[i], dW_ref[i], rtol=1e-8, atol=1e-10, err_msg=f"dW_{i} {label}")
        np.testing.assert_allclose(db[i], db_ref[i], rtol=1e-8, atol=1e-10, err_msg=f"db_{i} {label}")
    VW = {i: rng.normal(size=M.shape) for i, M in W.items()}
    Vb = {i: rng.normal(size=M.shape) for i, M in b.items()}

    def at(t):
        return grad({i: W[i] + t * VW[i] for i in W}, {i: b[i] + t * Vb[i] for i in b}, X, Y, lam)[0]

    numeric = (at(EPS) - at(-EPS)) / (2 * EPS)
    analytic = sum(float(np.sum(dW[i] * VW[i]) + np.sum(db[i] * Vb[i])) for i in W)
    assert abs(analytic - numeric) <= ATOL + RTOL * max(abs(analytic), abs(numeric)), (
        f"{label}: analytic={analytic!r} numeric={numeric!r} (eps={EPS}, rtol={RTOL}, atol={ATOL})")


def test_cross_entropy_rules_are_proved_for_sigmoid_and_softmax():
    assert prove_delta_rule("tanh", "sigmoid", loss="bce", weight_decay=True).status == "proved"
    softmax_proof = prove_delta_rule("tanh", "softmax", loss="cce")
    assert softmax_proof.proved and softmax_proof.output_delta.proved
    assert compile_gradient(["tanh", "softmax"]).status == "proved"
    assert compile_gradient(["tanh", "sigmoid"], loss="bce").status == "proved"
    assert "proved" in repr(compile_gradient(["softmax"]))


def test_a_wrong_output_delta_for_cross_entropy_is_refuted():
    mutant = ((("output delta", r"\delta^{(L)} = (a^{(L)} - y) \odot f'(z^{(L)})"),) + delta_rule_latex("bce")[1:])
    proof = prove_delta_rule("tanh", "sigmoid", loss="bce", rule=mutant)
    assert proof.first_unproved()[0] == "output delta" and proof.first_unproved()[1].status == "fails"


@pytest.mark.parametrize("acts, loss", [(("tanh", "identity"), "bce"), (("tanh", "softmax"), "mse"),
                                        (("softmax", "identity"), None)])
def test_a_loss_that_does_not_fit_the_output_is_refused(acts, loss):
    with pytest.raises((NumericError, ValueError)):
        compile_gradient(acts, loss=loss)


def test_labels_become_sorted_classes_integers_by_value():
    classes, Y = encode_labels([10, 2, 2.0, 10])
    assert classes == ("2", "10") and Y.tolist() == [[0, 1, 1, 0], [1, 0, 0, 1]]
    assert encode_labels(["b", "a"], rows=1)[1].tolist() == [[1.0, 0.0]]
    with pytest.raises(NumericError, match="not among"):
        encode_labels(["c"], ("a", "b"))


def test_validation_split_is_stratified():
    _, Y = encode_labels(["a"] * 40 + ["b"] * 10)
    _, held = stratified_split(Y, 0.2, np.random.default_rng(0), stratify=True)
    assert len(held) == 10 and np.sum(Y[1, held]) == 2


def test_patience_restores_the_best_weights_and_history_has_validation_metrics():
    X, labels = flowers_data(per_class=20)
    classes, Y = encode_labels(labels)
    model = init_model((4, 3), "softmax", classes=classes)
    model.mean, model.scale = X.mean(axis=1, keepdims=True), X.std(axis=1, keepdims=True)
    trained, history = train(model, X.T, Y.T, layout="rows", lr=0.5, epochs=400, val=0.25, patience=5,
                             optimizer="momentum", record="none")
    assert len(history.val_loss) == len(history.val_accuracy) == history.stopped_epoch
    assert history.best_epoch == int(np.argmin(history.val_loss)) + 1 and history.weights == []


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "adam"])
def test_each_optimizer_lowers_the_cross_entropy(optimizer):
    X, labels = flowers_data(per_class=10)
    classes, Y = encode_labels(labels)
    start = init_model((4, 5, 3), ("tanh", "softmax"), classes=classes)
    _, history = train(start, X / 5, Y, lr=0.05, epochs=50, optimizer=optimizer)
    _, plain = train(start, X / 5, Y, lr=0.05, epochs=50)
    assert history.epoch_loss[-1] < 0.95 * history.epoch_loss[0]
    assert optimizer == "gd" or history.epoch_loss[-1] < plain.epoch_loss[-1]


def test_classes_and_statistics_survive_the_round_trip(tmp_path):
    model = init_model((2, 1), "sigmoid", loss="bce", classes=["no", "yes"])
    model.mean, model.scale = np.array([[1.0], [2.0]]), np.array([[3.0], [4.0]])
    back = load_model(save_model(tmp_path / "m", model))
    assert (back.loss, back.classes) == ("bce", ("no", "yes"))
    assert np.array_equal(back.mean, model.mean) and np.array_equal(back.scale, model.scale)
    assert back.classify(np.array([[100.0], [0.0]])).tolist() == [model.classify(np.array([[100.0], [0.0]]))[0]]


def test_train_predict_evaluate_on_the_flowers_reach_90_percent_validation_accuracy(tmp_path, capsys):
    data = tmp_path / "flowers.csv"
    write_flowers_csv(data)
    assert main(["train", str(data), "--widths", "4,8,3", "--activations", "tanh", "--standardize",
                 "--val", "0.2", "--optimizer", "adam", "--lr", "0.01", "--mode", "minibatch",
                 "--batch-size", "16", "--epochs", "300", "--patience", "40"]) == 0
    out = capsys.readouterr().out
    assert f"model saved to {tmp_path / 'flowers.npz'}" in out
    val_accuracy = float(out.split("validation loss")[1].split("accuracy")[1].split()[0])
    assert val_accuracy >= 0.9, out
    (tmp_path / "new.txt").write_text("5.0;3.4;1.5;0.2\n6.7;3.0;5.6;2.1\n")
    assert main(["predict", "--model", str(tmp_path / "flowers.npz"), str(tmp_path / "new.txt"),
                 "--delimiter", ";", "--no-header"]) == 0
    assert capsys.readouterr().out.split() == ["setosa", "virginica"]
    assert main(["evaluate", "--model", str(tmp_path / "flowers.npz"), str(data)]) == 0
    report = capsys.readouterr().out
    assert "confusion matrix" in report and float(report.split("accuracy")[1].split()[0]) >= 0.9
    assert "loss (cce, without the weight-decay term)" in report


def test_evaluate_leaves_out_the_weight_decay_term(tmp_path, capsys):
    data = tmp_path / "flowers.csv"
    write_flowers_csv(data)
    assert main(["train", str(data), "--widths", "4,3", "--activations", "softmax", "--epochs", "5",
                 "--weight-decay", "50", "-o", str(tmp_path / "m"), "--quiet"]) == 0
    capsys.readouterr()
    assert main(["evaluate", "--model", str(tmp_path / "m.npz"), str(data)]) == 0
    printed = float(capsys.readouterr().out.split("weight-decay term)")[1].split()[0])
    model = load_model(tmp_path / "m.npz")
    X, labels = flowers_data()
    _, Y = encode_labels(labels, model.classes)
    data_term = -np.sum(Y * np.log(model.predict(X))) / Y.shape[1]
    assert printed == pytest.approx(data_term, rel=1e-5)  # lambda = 50 would add far more


def test_integer_labels_and_bce_for_two_classes(tmp_path, capsys):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 2))
    rows = [f"{x0:.3f}\t{x1:.3f}\t{int(x0 + x1 > 0)}" for x0, x1 in X]
    (tmp_path / "d.tsv").write_text("\n".join(rows) + "\n")
    assert main(["train", str(tmp_path / "d.tsv"), "--delimiter", "tab", "--classes", "--loss", "bce",
                 "--lr", "1", "--epochs", "200", "-o", str(tmp_path / "m")]) == 0
    model = load_model(tmp_path / "m.npz")
    assert model.classes == ("0", "1") and model.widths == (2, 1) and model.activations == ("sigmoid",)
    capsys.readouterr()
    assert main(["predict", "--model", str(tmp_path / "m.npz"), str(tmp_path / "d.tsv"), "--delimiter", "tab",
                 "--has-targets", "--proba"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "0,1" and len(lines) == 61
