// The downstream service's own code, writing its entities through the typed
// store API (docs/store-api.md): create, edit, delete, and the errors a
// load would give. notes_api_test.sh then dumps the store and checks that
// the git sync saw every edit.
//
//   notes_api URL write        the edits below, in transactions
//   notes_api URL dangling     a reply to a note that does not exist (refused)
//   notes_api URL orphan       erase the notebook that holds notes (refused)
//   notes_api URL list         the notes of the Ideas notebook, by title
#include <cstdio>
#include <string>

#include "notes/notes.hpp"
#include "runtime/api/db.hpp"

namespace {

using metaport::col;
using metaport::EntityId;
using metaport::Status;
using notes::Note;
using notes::Notebook;
using Db = metaport::Db<notes::Schema>;

constexpr const char* kIdeas = "NotebookIdeas00000001";
constexpr const char* kFirst = "NoteFirst000000000001";
constexpr const char* kReply = "NoteReply000000000001";
constexpr const char* kDraft = "NoteDraft000000000001";

int fail(const metaport::Errors& e) {
  std::fprintf(stderr, "error: %s", e.to_string().c_str());
  return 1;
}

Note note(const char* id, std::string title, std::string body) {
  Note n;
  n.entity_id = EntityId(id);
  n.title = std::move(title);
  n.notebook_id = metaport::Parent<Notebook>(kIdeas);
  n.body = std::move(body);
  return n;
}

Status write(Db& db) {
  // Create: a notebook and three notes, in one transaction.
  auto s = db.transaction([](Db& tx) -> Status {
    Notebook nb;
    nb.entity_id = EntityId(kIdeas);
    nb.name = "Ideas";
    if (auto r = tx.insert(nb); !r) return r;
    Note first = note(kFirst, "Ideas", "Move metadata without losing anything.");
    first.tags = std::vector<std::string>{"plans"};
    if (auto r = tx.insert(first); !r) return r;
    Note reply = note(kReply, "Re: ideas", "Agreed.");
    reply.replies_to = metaport::Nullable<metaport::Ref<Note>>(metaport::Ref<Note>(kFirst));
    if (auto r = tx.insert(reply); !r) return r;
    return tx.insert(note(kDraft, "Draft", "to be deleted"));
  });
  if (!s) return s;
  // Edit: read, change, write back.
  auto reply = db.get<Note>(kReply);
  if (!reply) return reply.errors();
  if (!*reply) return metaport::make_error("the reply was not written");
  (*reply)->body = "Agreed.\nLet's do it.";
  if (auto r = db.update(**reply); !r) return r;
  auto nb = db.get<Notebook>(kIdeas);
  if (!nb || !*nb) return metaport::make_error("the notebook was not written");
  (*nb)->description = metaport::Nullable<std::string>("Where plans start");
  if (auto r = db.upsert(**nb); !r) return r;
  // Delete.
  return db.erase<Note>(kDraft);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: notes_api URL write|dangling|orphan|list\n");
    return 2;
  }
  const std::string what = argv[2];
  auto db = Db::open(argv[1]);
  if (!db) return fail(db.errors());
  if (what == "write") {
    if (auto s = write(*db); !s) return fail(s.errors());
    std::printf("written\n");
    return 0;
  }
  if (what == "dangling") {
    Note n = note("NoteLost0000000000001", "Lost", "replies to nothing");
    n.replies_to = metaport::Nullable<metaport::Ref<Note>>(metaport::Ref<Note>("NoteMissing0000000001"));
    if (auto s = db->insert(n); !s) return fail(s.errors());
    return 0;
  }
  if (what == "orphan") {
    if (auto s = db->erase<Notebook>(kIdeas); !s) return fail(s.errors());
    return 0;
  }
  if (what == "list") {
    auto s = db->scan<Note>(col<&Note::notebook_id> == kIdeas, [](const Note& n) { std::printf("%s\n", n.title.c_str()); });
    if (!s) return fail(s.errors());
    return 0;
  }
  std::fprintf(stderr, "unknown command %s\n", what.c_str());
  return 2;
}
