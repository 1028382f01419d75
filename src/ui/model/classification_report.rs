//! The confusion matrix and the classification report (precision, recall,
//! F1 and support per class, the averages, accuracy) of a run at a
//! threshold, as tables that scroll sideways on a narrow screen.

use leptos::prelude::*;

use crate::core::common::numfmt::count;
use crate::core::model::metrics::Report;
use crate::ui::widgets::scroll_region::ScrollRegion;

/// The confusion matrix and classification report at the slider's threshold.
#[component]
pub fn ClassificationReport(report: Report, positive: String) -> impl IntoView {
    let r = &report;
    let [[tn, fp], [fn_, tp]] = r.confusion;
    let rows = [
        ("negative", r.classes[0]),
        ("positive", r.classes[1]),
        ("macro avg", r.macro_avg),
        ("weighted avg", r.weighted_avg),
    ];
    let confusion = view! {
        <table class="confusion" data-testid="confusion-matrix">
            <caption>{format!("Confusion matrix (positive: {positive})")}</caption>
            <thead>
                <tr>
                    <td></td>
                    <th scope="col">"predicted negative"</th>
                    <th scope="col">"predicted positive"</th>
                </tr>
            </thead>
            <tbody>
                <tr>
                    <th scope="row">"actual negative"</th>
                    <td data-cell="tn">{count(tn)}</td>
                    <td data-cell="fp">{count(fp)}</td>
                </tr>
                <tr>
                    <th scope="row">"actual positive"</th>
                    <td data-cell="fn">{count(fn_)}</td>
                    <td data-cell="tp">{count(tp)}</td>
                </tr>
            </tbody>
        </table>
    }
    .into_any();
    let report = view! {
        <table class="report" data-testid="classification-report">
            <caption>"Classification report"</caption>
            <thead>
                <tr>
                    <th scope="col">"class"</th>
                    <th scope="col">"precision"</th>
                    <th scope="col">"recall"</th>
                    <th scope="col">"F1"</th>
                    <th scope="col">"support"</th>
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|(name, s)| {
                        view! {
                            <tr data-row=name>
                                <th scope="row">{name}</th>
                                <td>{format!("{:.3}", s.precision)}</td>
                                <td>{format!("{:.3}", s.recall)}</td>
                                <td>{format!("{:.3}", s.f1)}</td>
                                <td>{count(s.support)}</td>
                            </tr>
                        }
                    })
                    .collect_view()} <tr data-row="accuracy">
                    <th scope="row">"accuracy"</th>
                    <td></td>
                    <td></td>
                    <td>{format!("{:.3}", r.accuracy)}</td>
                    <td>{count(r.macro_avg.support)}</td>
                </tr>
            </tbody>
        </table>
    }
    .into_any();
    view! {
        <ScrollRegion label="Confusion matrix">{confusion}</ScrollRegion>
        <ScrollRegion label="Classification report">{report}</ScrollRegion>
    }
}
