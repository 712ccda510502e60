// Marks the page as having JavaScript and starts the GOV.UK Frontend components.
// Kept in a file, not inline, so the Content-Security-Policy can forbid inline script.
import { initAll } from '/static/govuk/govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
