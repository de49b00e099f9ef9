//! HTML pages: document pages and person pages in the archive's markup.

use crate::documents::{GenDoc, FUNDING_PREFIX};
use crate::events::GenEvent;
use crate::text::quick_slug;
use crate::world::World;
use crate::SITE;

fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

/// Appends `<p>…</p>` per paragraph (paragraphs are separated by blank lines).
fn paragraphs_html(text: &str, indent: &str, out: &mut String) {
    for paragraph in text.split("\n\n") {
        out.push_str(indent);
        out.push_str("<p>");
        escape(paragraph, out);
        out.push_str("</p>\n");
    }
}

fn pills(heading: &str, names: &[(&str, &str)], out: &mut String) {
    if names.is_empty() {
        return;
    }
    out.push_str("  <h3 class=\"title\">");
    out.push_str(heading);
    out.push_str("</h3>\n  <div class=\"pills\">\n");
    for (id, name) in names {
        out.push_str("    <a class=\"pill\" href=\"/resource/");
        escape(id, out);
        out.push_str("\"><span class=\"name\"><span>");
        escape(name, out);
        out.push_str("</span></span></a>\n");
    }
    out.push_str("  </div>\n");
}

fn info_block(label: &str, value: &str, out: &mut String) {
    out.push_str("    <div class=\"information-block\"><div class=\"sub-title\">");
    out.push_str(label);
    out.push_str("</div><div class=\"text\">");
    escape(value, out);
    out.push_str("</div></div>\n");
}

fn header_field(label: &str, values: &[String], out: &mut String) {
    if values.is_empty() {
        return;
    }
    out.push_str("    <div class=\"header-field\"><span class=\"label\">");
    out.push_str(label);
    out.push_str(":</span> <span class=\"value\">");
    escape(&values.join("; "), out);
    out.push_str("</span></div>\n");
}

impl World {
    /// The document page, in the archive's markup (docs/page-structure.md).
    pub(crate) fn document_html(&self, doc: &GenDoc, out: &mut String) {
        out.push_str(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n  <meta charset=\"utf-8\">\n  <title>",
        );
        escape(&doc.title, out);
        out.push_str(" | Wilson Center Digital Archive</title>\n  <link rel=\"canonical\" href=\"");
        escape(&doc.url(), out);
        out.push_str("\">\n  <script type=\"application/json\" data-drupal-selector=\"drupal-settings-json\">{\"path\":{\"currentPath\":\"node/");
        out.push_str(&doc.node_id);
        out.push_str("\"}}</script>\n</head>\n<body>\n<a href=\"#main-content\" class=\"skip-link\">Skip to content</a>\n<main id=\"main-content\">\n<article class=\"document\">\n  <div class=\"date\">");
        escape(&doc.date, out);
        out.push_str("</div>\n  <h1 class=\"title\">");
        escape(&doc.title, out);
        out.push_str("</h1>\n");
        if !doc.funders.is_empty() {
            out.push_str("  <div class=\"donated\">");
            out.push_str(FUNDING_PREFIX);
            for (i, &f) in doc.funders.iter().enumerate() {
                out.push_str(if i == 0 { " " } else { " and " });
                let funder = &self.organisations[f];
                out.push_str("<a href=\"/funder/");
                out.push_str(&funder.id);
                out.push_str("\">");
                escape(&funder.name, out);
                out.push_str("</a>");
            }
            out.push_str("</div>\n");
        }
        let level: Vec<String> = doc.level.iter().map(|l| (*l).to_owned()).collect();
        if !doc.sent_by.is_empty()
            || !doc.received_by.is_empty()
            || !level.is_empty()
            || doc.serial_line.is_some()
        {
            out.push_str("  <div class=\"header-fields\">\n");
            header_field("From", &doc.sent_by, out);
            header_field("Received by", &doc.received_by, out);
            header_field("Level", &level, out);
            if let Some(line) = &doc.serial_line {
                out.push_str("    <div class=\"serial\">");
                escape(line, out);
                out.push_str("</div>\n");
            }
            out.push_str("  </div>\n");
        }
        out.push_str("  <ul class=\"nav nav-tabs\"><li class=\"active\"><a href=\"#translation\">English Translation</a></li></ul>\n  <div class=\"tab-content\">\n    <div class=\"tab-pane active\" id=\"translation\">\n");
        paragraphs_html(&doc.text, "      ", out);
        out.push_str("    </div>\n  </div>\n");
        if let Some(summary) = &doc.summary {
            out.push_str("  <div class=\"text-block\"><p>");
            escape(summary, out);
            out.push_str("</p></div>\n");
        }
        out.push('\n');
        let people: Vec<(&str, &str)> = doc
            .people
            .iter()
            .map(|&p| (self.people[p].id.as_str(), self.people[p].name.as_str()))
            .collect();
        pills("Associated People", &people, out);
        let places: Vec<(&str, &str)> = doc
            .places
            .iter()
            .map(|&p| (self.places[p].id.as_str(), self.places[p].name.as_str()))
            .collect();
        pills("Associated Places", &places, out);
        let orgs: Vec<(&str, &str)> = doc
            .organisations
            .iter()
            .map(|&o| {
                (
                    self.organisations[o].id.as_str(),
                    self.organisations[o].name.as_str(),
                )
            })
            .collect();
        pills("Associated Organizations", &orgs, out);
        if !doc.subjects.is_empty() {
            out.push_str(
                "  <h3 class=\"title\">Subjects Discussed</h3>\n  <div class=\"pills\">\n",
            );
            for subject in &doc.subjects {
                out.push_str("    <a class=\"pill-subject\" href=\"/topics/");
                out.push_str(&quick_slug(subject));
                out.push_str("\">");
                escape(subject, out);
                out.push_str("</a>\n");
            }
            out.push_str("  </div>\n");
        }
        out.push_str("\n  <section class=\"document-information\">\n    <h2 class=\"title\">Document Information</h2>\n");
        info_block("Source", &doc.citation.text, out);
        info_block("Original Archive", &self.archives[doc.archive].name, out);
        out.push_str("    <div class=\"information-block\"><div class=\"sub-title\">Rights</div><div class=\"text\">");
        for paragraph in doc.rights.split("\n\n") {
            out.push_str("<p>");
            escape(paragraph, out);
            out.push_str("</p>");
        }
        out.push_str("</div></div>\n");
        info_block("Language", &doc.languages.join(", "), out);
        info_block("Original Uploaded Date", &doc.uploaded, out);
        if let Some(classification) = doc.classification {
            info_block("Original Classification", classification, out);
        }
        info_block("Record ID", &doc.record_id, out);
        if !doc.funders.is_empty() {
            let names: Vec<&str> = doc
                .funders
                .iter()
                .map(|&f| self.organisations[f].name.as_str())
                .collect();
            info_block("Donors", &names.join("; "), out);
        }
        out.push_str("  </section>\n</article>\n</main>\n</body>\n</html>\n");
    }

    pub(crate) fn card(&self, p: usize, counts: &[u32], subject: bool, out: &mut String) {
        let person = &self.people[p];
        if subject {
            out.push_str("  <div class=\"person-card subject\">\n");
        } else {
            out.push_str("    <a class=\"person-card\" href=\"/resource/");
            out.push_str(&person.id);
            out.push_str("\">\n");
        }
        let indent = if subject { "    " } else { "      " };
        out.push_str(indent);
        out.push_str("<div class=\"name\"><span>");
        escape(&person.name, out);
        out.push_str("</span></div>\n");
        out.push_str(indent);
        out.push_str("<div class=\"life-span\">");
        escape(person.life_span.as_deref().unwrap_or("-"), out);
        out.push_str("</div>\n");
        out.push_str(indent);
        out.push_str("<div class=\"region\">");
        escape(person.region, out);
        out.push_str("</div>\n");
        out.push_str(indent);
        out.push_str(&format!(
            "<div class=\"document-count\">({}) documents</div>\n",
            counts[p]
        ));
        out.push_str(if subject { "  </div>\n" } else { "    </a>\n" });
    }

    /// A person page: the subject's card, related people, the timeline (newest first).
    pub(crate) fn person_html(
        &self,
        p: usize,
        counts: &[u32],
        related: &[usize],
        timeline: &[GenEvent],
        out: &mut String,
    ) {
        let person = &self.people[p];
        out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>");
        escape(&person.name, out);
        out.push_str(" | Wilson Center Digital Archive</title>\n  <link rel=\"canonical\" href=\"");
        out.push_str(SITE);
        out.push_str("/resource/");
        out.push_str(&person.id);
        out.push_str("\"></head>\n<body>\n<a href=\"#main-content\" class=\"skip-link\">Skip to content</a>\n<main id=\"main-content\">\n<article class=\"person-page\" data-kind=\"person\">\n  <h1 class=\"title\">");
        escape(&person.name, out);
        out.push_str("</h1>\n");
        self.card(p, counts, true, out);
        if !related.is_empty() {
            out.push_str("  <section class=\"related-people\">\n    <h3 class=\"title\">Related People</h3>\n");
            for &r in related {
                self.card(r, counts, false, out);
            }
            out.push_str("  </section>\n");
        }
        if !timeline.is_empty() {
            out.push_str("  <section class=\"timeline\">\n    <h3 class=\"title\">Timeline</h3>\n");
            for event in timeline {
                out.push_str("    <div class=\"timeline-event\">\n      <div class=\"date\">");
                escape(&event.date.text, out);
                out.push_str("</div>\n      <div class=\"text\"><p>");
                escape(&event.text, out);
                out.push_str("</p></div>\n");
                for doc in &event.documents {
                    out.push_str(&format!(
                        "      <a class=\"document-link\" href=\"/document/{doc}\">Record {doc}</a>\n"
                    ));
                }
                out.push_str("    </div>\n");
            }
            out.push_str("  </section>\n");
        }
        out.push_str("</article>\n</main>\n</body>\n</html>\n");
    }
}
