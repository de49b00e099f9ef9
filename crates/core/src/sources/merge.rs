//! Merging two readings of one document: a harvested page and the RIS record
//! the site exports for it (`harvest --ris`).

use crate::ids::slug;
use crate::model::Document;

impl Document {
    /// Fills the fields this document leaves empty (`None`, an empty list, an
    /// empty title) from `other`, a second reading of the same document; where
    /// both have a value this one's stands. Labelled fields (`other_fields`)
    /// are added under the labels this document lacks.
    ///
    /// The id follows the readers' rule: the Record ID when known, else a slug
    /// of the title. So a document whose id was its title's slug takes the
    /// Record ID `other` brings.
    pub fn fill_missing_from(&mut self, other: Document) {
        // Every field by name: a field added to the model must be merged here too.
        let Document {
            id,
            record_id,
            slug: other_slug,
            node_id,
            title,
            date,
            funding_statement,
            sent_by,
            received_by,
            level,
            classification,
            serial,
            serial_line,
            text,
            summary,
            citation,
            original_archive,
            rights,
            languages,
            uploaded,
            funders,
            creators,
            contributors,
            agents,
            document_type,
            pdf_url,
            people,
            places,
            organisations,
            subjects,
            collections,
            other_fields,
            url,
        } = other;
        let id_was_derived = self.id.is_empty()
            || (self.record_id.is_none() && !self.title.is_empty() && self.id == slug(&self.title));
        if self.title.is_empty() {
            self.title = title;
        }
        fill(&mut self.record_id, record_id);
        if id_was_derived {
            if let Some(record_id) = &self.record_id {
                self.id = record_id.clone();
            } else if self.id.is_empty() {
                self.id = if self.title.is_empty() {
                    id
                } else {
                    slug(&self.title)
                };
            }
        }
        fill(&mut self.slug, other_slug);
        fill(&mut self.node_id, node_id);
        fill(&mut self.date, date);
        fill(&mut self.funding_statement, funding_statement);
        fill_list(&mut self.sent_by, sent_by);
        fill_list(&mut self.received_by, received_by);
        fill(&mut self.level, level);
        fill(&mut self.classification, classification);
        fill(&mut self.serial, serial);
        fill(&mut self.serial_line, serial_line);
        fill(&mut self.text, text);
        fill(&mut self.summary, summary);
        fill(&mut self.citation, citation);
        fill(&mut self.original_archive, original_archive);
        fill(&mut self.rights, rights);
        fill_list(&mut self.languages, languages);
        fill(&mut self.uploaded, uploaded);
        fill_list(&mut self.funders, funders);
        fill_list(&mut self.creators, creators);
        fill_list(&mut self.contributors, contributors);
        fill_list(&mut self.agents, agents);
        fill(&mut self.document_type, document_type);
        fill(&mut self.pdf_url, pdf_url);
        fill_list(&mut self.people, people);
        fill_list(&mut self.places, places);
        fill_list(&mut self.organisations, organisations);
        fill_list(&mut self.subjects, subjects);
        fill_list(&mut self.collections, collections);
        for (label, value) in other_fields {
            self.other_fields.entry(label).or_insert(value);
        }
        fill(&mut self.url, url);
    }
}

fn fill<T>(mine: &mut Option<T>, theirs: Option<T>) {
    if mine.is_none() {
        *mine = theirs;
    }
}

fn fill_list<T>(mine: &mut Vec<T>, theirs: Vec<T>) {
    if mine.is_empty() {
        *mine = theirs;
    }
}

#[cfg(test)]
mod tests {
    use crate::dates::HistoricalDate;
    use crate::model::{Citation, Document, EntityRef};

    #[test]
    fn the_page_wins_and_the_ris_fills_what_the_page_lacks() {
        let mut page = Document {
            id: "telegram-from-pyongyang".to_owned(),
            title: "Telegram from Pyongyang".to_owned(),
            date: Some(HistoricalDate::parse("March 2, 1965")),
            subjects: vec!["Korean War".to_owned()],
            other_fields: [("Type".to_owned(), "Telegram".to_owned())].into(),
            url: Some("https://example.org/document/134905".to_owned()),
            ..Document::default()
        };
        let ris = Document {
            id: "134905".to_owned(),
            record_id: Some("134905".to_owned()),
            title: "Telegram, Pyongyang".to_owned(),
            date: Some(HistoricalDate::parse("1965-03-02")),
            summary: Some("A report on the talks.".to_owned()),
            subjects: vec!["Diplomacy".to_owned()],
            creators: vec![EntityRef::named("Mao, Zedong")],
            citation: Some(Citation {
                text: "PRC FMA 109-02833-03".to_owned(),
                ..Citation::default()
            }),
            document_type: Some("GEN".to_owned()),
            other_fields: [
                ("Type".to_owned(), "GEN".to_owned()),
                ("PB".to_owned(), "HAPP".to_owned()),
            ]
            .into(),
            url: Some("https://example.org/document/other".to_owned()),
            ..Document::default()
        };
        page.fill_missing_from(ris);
        // Where both have a value, the page's stands.
        assert_eq!(page.title, "Telegram from Pyongyang");
        assert_eq!(page.date.as_ref().unwrap().original, "March 2, 1965");
        assert_eq!(page.subjects, vec!["Korean War"]);
        assert_eq!(page.other_fields["Type"], "Telegram");
        assert_eq!(
            page.url.as_deref(),
            Some("https://example.org/document/134905")
        );
        // What the page left empty comes from the RIS record.
        assert_eq!(page.summary.as_deref(), Some("A report on the talks."));
        assert_eq!(page.creators, vec![EntityRef::named("Mao, Zedong")]);
        assert_eq!(page.citation.unwrap().text, "PRC FMA 109-02833-03");
        assert_eq!(page.document_type.as_deref(), Some("GEN"));
        assert_eq!(page.other_fields["PB"], "HAPP");
        // The id was the title's slug: the Record ID replaces it.
        assert_eq!(page.record_id.as_deref(), Some("134905"));
        assert_eq!(page.id, "134905");
    }

    #[test]
    fn an_id_of_the_page_other_than_its_title_slug_stays() {
        let mut page = Document {
            id: "200001".to_owned(),
            record_id: Some("200001".to_owned()),
            title: "A".to_owned(),
            ..Document::default()
        };
        page.fill_missing_from(Document {
            id: "999".to_owned(),
            record_id: Some("999".to_owned()),
            title: "B".to_owned(),
            ..Document::default()
        });
        assert_eq!(page.id, "200001");
        assert_eq!(page.record_id.as_deref(), Some("200001"));
    }
}
